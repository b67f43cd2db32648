/**
 * The Statistics page shows the API's numbers: for several periods and both modes,
 * statisticsReport equals the JSON of GET /sms/stats, /sms/stats/daily and
 * /sms/stats/by-country called with a key of the same workspace and mode.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as byCountryRoute from "@/app/api/v1/sms/stats/by-country/route";
import * as dailyRoute from "@/app/api/v1/sms/stats/daily/route";
import * as statsRoute from "@/app/api/v1/sms/stats/route";
import type { ApiRuntime } from "@/lib/api/runtime";
import { callApi, makeKey, randomAddress, startRuntime, type Handler } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { insertMessages, messageRow, noonDaysAgo } from "@/tests/messages";
import { addDays, isoDay } from "./filters";
import { statisticsReport } from "./statistics";
import type { MessageStatus } from "@/db/schema";

let t: TestDatabase;
let runtime: ApiRuntime;
const keys: Record<"live" | "test", string> = { live: "", test: "" };
const now = new Date();
const STATUSES: MessageStatus[] = ["pending", "sent", "DELIVRD", "UNDELIV", "REJECTD", "EXPIRED", "UNKNOWN", "failed"];
const COUNTRIES = [
  ["GB", "+447911"],
  ["US", "+1415555"],
  [null, "+800123"],
] as const;

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  keys.live = (await makeKey(t, { permissions: ["sms.read"] })).secret;
  keys.test = (await makeKey(t, { mode: "test", permissions: ["sms.read"] })).secret;
  const rows = (mode: "live" | "test", n: number) =>
    Array.from({ length: n }, (_, i) => {
      const status = STATUSES[(i * 5) % STATUSES.length];
      const [country, prefix] = COUNTRIES[i % COUNTRIES.length];
      return messageRow(t.seed.mainWorkspaceId, {
        mode,
        status,
        country,
        recipient: `${prefix}${String(2000 + i)}`,
        cost: status === "failed" ? "0" : (0.01 + (i % 7) * 0.00731).toFixed(5),
        createdAt: noonDaysAgo((i * 3) % 45, now),
      });
    });
  await insertMessages(t.db, [...rows("live", 120), ...rows("test", 31)]);
  await insertMessages(t.db, [messageRow(t.seed.stagingWorkspaceId, { createdAt: noonDaysAgo(1, now) })]);
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  await t?.close();
});

const get = async (handler: Handler, path: string, key: string) => {
  const res = await callApi(handler, { path, key, address: randomAddress() });
  expect(res.status, path).toBe(200);
  return res.body;
};

const today = isoDay(now);
const QUERIES: Record<string, string>[] = [
  {},
  { period: "today" },
  { period: "yesterday" },
  { period: "7d" },
  { period: "30d" },
  { period: "this_month" },
  { period: "last_month" },
  { from: addDays(today, -40), to: addDays(today, -3) },
  { from: addDays(today, -10) },
];

describe("the Statistics page's numbers", () => {
  for (const mode of ["live", "test"] as const) {
    it.each(QUERIES)(`equal the API's JSON in ${mode} mode for %o`, async (query) => {
      const result = await statisticsReport(t.db, { workspaceId: t.seed.mainWorkspaceId, mode }, query);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      const qs = new URLSearchParams(query).toString();
      const suffix = qs ? `?${qs}` : "";
      const [stats, daily, byCountry] = await Promise.all([
        get(statsRoute.GET, `/api/v1/sms/stats${suffix}`, keys[mode]),
        get(dailyRoute.GET, `/api/v1/sms/stats/daily${suffix}`, keys[mode]),
        get(byCountryRoute.GET, `/api/v1/sms/stats/by-country${suffix}`, keys[mode]),
      ]);
      expect(result.report.totals).toEqual(stats.stats);
      expect(result.report.period).toEqual(stats.period);
      expect(result.report.days).toEqual(daily.days);
      expect(result.report.countries).toEqual(byCountry.countries);
    });
  }

  it("counts something in the 30 days (the comparison is not of empty reports)", async () => {
    const result = await statisticsReport(t.db, { workspaceId: t.seed.mainWorkspaceId, mode: "live" }, { period: "30d" });
    expect(result.ok && result.report.totals.total_sent).toBeGreaterThan(50);
  });

  it("refuses what the API refuses, by field", async () => {
    const result = await statisticsReport(
      t.db,
      { workspaceId: t.seed.mainWorkspaceId, mode: "live" },
      { from: "2026-02-02", to: "2026-02-01" },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0].path).toEqual(["from"]);
    const bad = await statisticsReport(t.db, { workspaceId: t.seed.mainWorkspaceId, mode: "live" }, { period: "year" });
    expect(!bad.ok && bad.issues[0].path).toEqual(["period"]);
  });
});
