/**
 * GET /sms/stats, /sms/stats/daily and /sms/stats/by-country (docs/api-v1.md §3)
 * against a real database: the counters match a count done in JS over the
 * seeded rows, their identities hold, the daily series has every day and adds
 * up to the totals, and test and live traffic never mix (§6).
 */
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as byCountryRoute from "@/app/api/v1/sms/stats/by-country/route";
import * as dailyRoute from "@/app/api/v1/sms/stats/daily/route";
import * as statsRoute from "@/app/api/v1/sms/stats/route";
import { messages, workspaces, type MessageStatus } from "@/db/schema";
import { addDays, daysOf, presetRange, STATUS_MAPPING } from "@/lib/sms/filters";
import { callApi, expectApiError, makeKey, randomAddress, startRuntime, type Handler } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { insertMessages, messageRow, noonDaysAgo, type MessageInsert } from "@/tests/messages";
import type { ApiRuntime } from "./runtime";

type Row = typeof messages.$inferSelect;

let t: TestDatabase;
let runtime: ApiRuntime;
let liveKey: string;
let testKey: string;
let stagingKey: string;
let live: Row[];
let test: Row[];

const now = new Date();
const STATUSES: MessageStatus[] = ["pending", "sent", "DELIVRD", "UNDELIV", "REJECTD", "EXPIRED", "UNKNOWN", "failed"];
const COUNTRIES = [
  ["GB", "+447911"],
  ["US", "+1415555"],
  ["FR", "+336123"],
  [null, "+800123"],
] as const;
// Day 3 before today stays empty, to see an empty day in the daily series.
const DAYS_USED = [0, 1, 2, 4, 5, 6];

/** A deterministic spread of statuses, countries, senders, days and costs (exact to 5 decimals). */
function spread(workspaceId: number, mode: "live" | "test", n: number): MessageInsert[] {
  return Array.from({ length: n }, (_, i) => {
    const status = STATUSES[(i * 7) % STATUSES.length];
    const [country, prefix] = COUNTRIES[(i * 3) % COUNTRIES.length];
    const createdAt = noonDaysAgo(DAYS_USED[i % DAYS_USED.length], now);
    createdAt.setUTCMinutes(i % 60);
    return messageRow(workspaceId, {
      mode,
      status,
      country,
      recipient: `${prefix}${String(1000 + i).padStart(5, "0")}`,
      senderId: i % 2 ? "Acme" : "Bank",
      segments: 1 + (i % 3),
      // Refused messages are stored at cost 0.
      cost: status === "failed" ? "0" : ((1 + (i % 3)) * (0.00731 + (i % 5) * 0.01)).toFixed(5),
      createdAt,
    });
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  liveKey = (await makeKey(t, { permissions: ["sms.read"] })).secret;
  testKey = (await makeKey(t, { mode: "test", permissions: ["sms.read"] })).secret;
  stagingKey = (await makeKey(t, {}, t.seed.stagingWorkspaceId)).secret;
  live = await insertMessages(t.db, [
    ...spread(t.seed.mainWorkspaceId, "live", 150),
    // Outside the last 7 days, inside 30.
    messageRow(t.seed.mainWorkspaceId, { createdAt: noonDaysAgo(12, now), cost: "1.00000" }),
  ]);
  test = await insertMessages(t.db, spread(t.seed.mainWorkspaceId, "test", 23));
  await t.db.update(workspaces).set({ currency: "USD" }).where(eq(workspaces.id, t.seed.stagingWorkspaceId));
  await insertMessages(t.db, spread(t.seed.stagingWorkspaceId, "live", 9));
});

afterAll(async () => {
  await runtime?.close();
  await t?.close();
});

const get = (handler: Handler, path: string, key = liveKey) => callApi(handler, { path, key, address: randomAddress() });
const stats = (query = "", key = liveKey) => get(statsRoute.GET, `/api/v1/sms/stats${query}`, key);
const daily = (query = "", key = liveKey) => get(dailyRoute.GET, `/api/v1/sms/stats/daily${query}`, key);
const byCountry = (query = "", key = liveKey) => get(byCountryRoute.GET, `/api/v1/sms/stats/by-country${query}`, key);

const inRange = (range: { from: string; to: string }) => (r: Row) => {
  const day = r.createdAt.toISOString().slice(0, 10);
  return day >= range.from && day <= range.to;
};

/** The counters, counted in JS the way docs/api-v1.md §3 defines them. */
function countInJs(rows: Row[], currency = "EUR") {
  const n = (...statuses: MessageStatus[]) => rows.filter((r) => statuses.includes(r.status)).length;
  const delivered = n("DELIVRD");
  const undelivered = n("UNDELIV", "REJECTD", "UNKNOWN");
  const pending = n("pending", "sent");
  const expired = n("EXPIRED");
  const notBilled = n("failed");
  const sent = delivered + undelivered + pending + expired;
  // In units of 10⁻⁵, so the sum is exact.
  const cost = rows.reduce((sum, r) => sum + Math.round(Number(r.cost) * 100_000), 0) / 100_000;
  return {
    total_sent: sent + notBilled,
    sent,
    delivered,
    undelivered,
    pending,
    expired,
    not_billed: notBilled,
    failed: undelivered,
    click_count: 0,
    unique_click_count: 0,
    action_count: 0,
    sent_rate: sent + notBilled ? Math.round((sent / (sent + notBilled)) * 10_000) / 100 : 0,
    delivery_rate: sent ? Math.round((delivered / sent) * 10_000) / 100 : 0,
    total_cost: cost,
    avg_cost_per_msg: sent ? Math.round((cost / sent) * 100_000) / 100_000 : 0,
    currency,
  };
}

type Stats = ReturnType<typeof countInJs>;

function expectIdentities(s: Stats) {
  expect(s.sent).toBe(s.delivered + s.undelivered + s.pending + s.expired);
  expect(s.total_sent).toBe(s.sent + s.not_billed);
  expect(s.failed).toBe(s.undelivered);
  expect(s.sent_rate).toBe(s.total_sent ? Math.round((s.sent / s.total_sent) * 10_000) / 100 : 0);
  expect(s.delivery_rate).toBe(s.sent ? Math.round((s.delivered / s.sent) * 10_000) / 100 : 0);
}

const COUNTER_KEYS = Object.keys(countInJs([])).sort();

describe("GET /sms/stats", () => {
  it("counts the last 7 days exactly as a count in JS over the seeded rows", async () => {
    const res = await stats();
    expect(res.status).toBe(200);
    const range = presetRange("7d", now);
    expect(res.body).toEqual({ status: true, stats: countInJs(live.filter(inRange(range))), period: range });
    expect(Object.keys(res.body.stats).sort()).toEqual(COUNTER_KEYS);
    expectIdentities(res.body.stats);
    expect(res.body.stats.total_sent).toBe(150);
    expect(res.body.stats.not_billed).toBeGreaterThan(0);
  });

  it("sums the cost exactly (numeric in SQL) and answers it as a number", async () => {
    const res = await stats("?period=30d");
    const rows = live.filter(inRange(presetRange("30d", now)));
    expect(res.body.stats.total_cost).toBe(countInJs(rows).total_cost);
    expect(typeof res.body.stats.total_cost).toBe("number");
    expect(res.body.stats.total_sent).toBe(151);
  });

  it("applies the status, country, sender and phone filters", async () => {
    const range = presetRange("7d", now);
    const base = live.filter(inRange(range));
    for (const filter of ["delivered", "undelivered", "pending", "expired", "unknown"] as const) {
      const res = await stats(`?status=${filter}`);
      expect(res.body.stats, filter).toEqual(countInJs(base.filter((r) => STATUS_MAPPING[filter].includes(r.status))));
    }
    expect((await stats("?country=fr")).body.stats).toEqual(countInJs(base.filter((r) => r.country === "FR")));
    expect((await stats("?country=ZZ")).body.stats).toEqual(countInJs(base.filter((r) => r.country === null)));
    expect((await stats("?sender=Acme")).body.stats).toEqual(countInJs(base.filter((r) => r.senderId === "Acme")));
    expect((await stats(`?phone=${encodeURIComponent("+1415")}`)).body.stats).toEqual(
      countInJs(base.filter((r) => r.recipient.includes("+1415"))),
    );
  });

  it("answers zeros (not NaN) for an empty period, and for broadcasts", async () => {
    const empty = await stats("?from=2020-01-01&to=2020-01-31");
    expect(empty.body).toEqual({ status: true, stats: countInJs([]), period: { from: "2020-01-01", to: "2020-01-31" } });
    expect((await stats("?source=broadcasts")).body.stats).toEqual(countInJs([]));
    expect((await stats("?source=all")).body.stats).toEqual((await stats("?source=api")).body.stats);
  });

  it("reports in the workspace's currency", async () => {
    expect((await stats("", stagingKey)).body.stats.currency).toBe("USD");
  });

  it("never counts test traffic for a live key, nor the reverse", async () => {
    const range = presetRange("7d", now);
    expect((await stats("", testKey)).body.stats).toEqual(countInJs(test.filter(inRange(range))));
    expect((await stats("", liveKey)).body.stats.total_sent).toBe(150);
    expect((await stats("", stagingKey)).body.stats.total_sent).toBe(9);
  });

  it.each([
    "period=year",
    "from=2026-02-31",
    "to=tomorrow",
    "from=2026-02-02&to=2026-02-01",
    "source=campaign",
    "status=ok",
    "country=United",
  ])("answers INVALID_PARAMETER for %s", async (query) => {
    expectApiError(await stats(`?${query}`), 400, "INVALID_PARAMETER");
  });

  it.each(["to=9999-12-31", "from=1970-01-01", "from=0000-01-01&to=0000-01-02", "phone=%00", "sender=%00"])(
    "answers INVALID_PARAMETER, never a database error, for %s on every statistics endpoint",
    async (query) => {
      expectApiError(await stats(`?${query}`), 400, "INVALID_PARAMETER");
      expectApiError(await daily(`?${query}`), 400, "INVALID_PARAMETER");
      expectApiError(await byCountry(`?${query}`), 400, "INVALID_PARAMETER");
    },
  );
});

describe("GET /sms/stats/daily", () => {
  it("has one entry per day of the period, ascending, empty days included, adding up to /sms/stats", async () => {
    const res = await daily();
    expect(res.status).toBe(200);
    const range = presetRange("7d", now);
    expect(res.body.period).toEqual(range);
    expect(res.body.days.map((d: { date: string }) => d.date)).toEqual(daysOf(range));
    expect(res.body.days).toHaveLength(7);
    for (const day of res.body.days) {
      expect(day).toEqual({ date: day.date, ...countInJs(live.filter(inRange({ from: day.date, to: day.date }))) });
      expectIdentities(day);
    }
    const empty = res.body.days.find((d: { date: string }) => d.date === addDays(range.to, -3));
    expect(empty).toMatchObject({ total_sent: 0, sent_rate: 0, delivery_rate: 0, total_cost: 0, avg_cost_per_msg: 0 });

    const totals = (await stats()).body.stats;
    for (const key of ["total_sent", "sent", "delivered", "undelivered", "pending", "expired", "not_billed", "failed"]) {
      expect(
        res.body.days.reduce((sum: number, d: Record<string, number>) => sum + d[key], 0),
        key,
      ).toBe(totals[key]);
    }
    const cost = res.body.days.reduce((sum: number, d: { total_cost: number }) => sum + Math.round(d.total_cost * 100_000), 0);
    expect(cost / 100_000).toBe(totals.total_cost);
  });

  it("covers a custom range day by day, and refuses one over 366 days", async () => {
    const res = await daily("?from=2024-02-27&to=2024-03-01");
    expect(res.body.days.map((d: { date: string }) => d.date)).toEqual(["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]);
    expect(res.body.days.every((d: { total_sent: number }) => d.total_sent === 0)).toBe(true);
    const tooLong = await daily("?from=2024-01-01&to=2025-01-01");
    expectApiError(tooLong, 400, "INVALID_PARAMETER");
    expect(tooLong.body.description).toMatch(/^from: /);
  });

  it("never counts test traffic for a live key, nor the reverse", async () => {
    const res = await daily("", testKey);
    expect(res.body.days.reduce((sum: number, d: { total_sent: number }) => sum + d.total_sent, 0)).toBe(
      test.filter(inRange(presetRange("7d", now))).length,
    );
  });
});

describe("GET /sms/stats/by-country", () => {
  it("has one entry per country, most total_sent first, with names, ZZ/Unknown for no country, adding up to /sms/stats", async () => {
    const res = await byCountry();
    expect(res.status).toBe(200);
    const range = presetRange("7d", now);
    expect(res.body.period).toEqual(range);
    const rows = live.filter(inRange(range));
    const countries: Array<Stats & { country: string; country_name: string }> = res.body.countries;
    expect(countries.map((c) => c.country).sort()).toEqual(["FR", "GB", "US", "ZZ"]);
    const totals = countries.map((c) => c.total_sent);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const names = Object.fromEntries(countries.map((c) => [c.country, c.country_name]));
    expect(names).toEqual({ GB: "United Kingdom", US: "United States", FR: "France", ZZ: "Unknown" });
    for (const c of countries) {
      const { country, country_name, ...counters } = c;
      expect(country_name).toBeTruthy();
      expect(counters, country).toEqual(countInJs(rows.filter((r) => (r.country ?? "ZZ") === country)));
      expectIdentities(c);
    }
    const total = (await stats()).body.stats.total_sent;
    expect(totals.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it("sorts by total_sent when the countries are uneven", async () => {
    const extra = await insertMessages(
      t.db,
      Array.from({ length: 60 }, () =>
        messageRow(t.seed.mainWorkspaceId, { country: "DE", recipient: "+4915112345678", createdAt: noonDaysAgo(1, now) }),
      ),
    );
    try {
      const countries = (await byCountry()).body.countries as Array<{ country: string; total_sent: number }>;
      expect(countries[0]).toMatchObject({ country: "DE", total_sent: 60 });
      expect(countries.map((c) => c.total_sent)).toEqual(countries.map((c) => c.total_sent).sort((a, b) => b - a));
    } finally {
      await t.db.delete(messages).where(
        inArray(
          messages.id,
          extra.map((r) => r.id),
        ),
      );
    }
  });

  it("applies filters, and never mixes test and live traffic", async () => {
    expect((await byCountry("?country=GB")).body.countries.map((c: { country: string }) => c.country)).toEqual(["GB"]);
    const testCountries = (await byCountry("", testKey)).body.countries as Array<{ total_sent: number }>;
    expect(testCountries.reduce((sum, c) => sum + c.total_sent, 0)).toBe(test.filter(inRange(presetRange("7d", now))).length);
  });
});
