/**
 * POST /api/v1/sms/send through its route handler against a real database
 * (docs/api-v1.md §3): every refusal code, the fixed validation order, the 200
 * shape, encoding and exact pricing, exact money, blocked countries and
 * recipients without a price.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as byCountryRoute from "@/app/api/v1/sms/stats/by-country/route";
import { ledgerEntries, messages, workspaces } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import { QUEUES } from "@/lib/queue/queue";
import type { Jobs } from "@/lib/runtime/jobs";
import { callApi, expectApiError, makeKey } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import {
  countryRates,
  dec,
  decText,
  gbNumber,
  jobCount,
  makeWorkspace,
  MESSAGE_ID,
  money,
  NUMBERS,
  numUnits,
  rows,
  send,
  setupSms,
  teardownSms,
} from "@/tests/sms";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;
let key: string;
let mainId: number;
let rates: Map<string, bigint>;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
  mainId = t.seed.mainWorkspaceId;
  await t.db.update(workspaces).set({ rateLimitPerSecond: 100_000 }).where(eq(workspaces.id, mainId));
  key = (await makeKey(t)).secret;
  rates = await countryRates(t.db);
});

afterAll(() => teardownSms({ t, runtime, jobs }));

const rate = (country: string): bigint => {
  const r = rates.get(country);
  if (r === undefined) throw new Error(`no price for ${country}`);
  return r;
};
const ok = { to: [NUMBERS.GB], message: "Hello", sender_id: "Acme" };

/** A live send of `body` that must be billed exactly `expected`: the balance moves by it and one usage row records it. */
async function sendBilled(body: object, expected: bigint) {
  const before = await money(t.db, mainId);
  const res = await send({ key, body });
  expect(res.status).toBe(200);
  expect(numUnits(res.body.summary.total_cost)).toBe(expected);
  const after = await money(t.db, mainId);
  expect(dec(before.balance) - dec(after.balance)).toBe(expected);
  expect(after.balance).toBe(after.ledger);
  if (expected > 0n) {
    expect(after.usage_rows).toBe(before.usage_rows + 1);
    const [usage] = await t.db
      .select({ amount: ledgerEntries.amount, currency: ledgerEntries.currency })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.workspaceId, mainId), eq(ledgerEntries.type, "usage")))
      .orderBy(sql`${ledgerEntries.id} desc`)
      .limit(1);
    expect(dec(usage.amount)).toBe(-expected);
    expect(usage.currency).toBe("EUR");
  } else {
    expect(after.usage_rows).toBe(before.usage_rows);
  }
  return res;
}

describe("refusals: every 400/402/409 code of send, through the route", () => {
  const cases: Array<[string, unknown, string]> = [
    ["INVALID_BODY", "[1, 2]", "a JSON array"],
    ["INVALID_BODY", "{not json", "text that is not JSON"],
    ["INVALID_BODY", "null", "JSON null"],
    ["INVALID_TO", { message: "Hi", sender_id: "Acme" }, "to missing"],
    ["INVALID_TO", { to: [], message: "Hi", sender_id: "Acme" }, "to empty"],
    ["INVALID_TO", { to: NUMBERS.GB, message: "Hi", sender_id: "Acme" }, "to a string, not an array"],
    ["INVALID_TO", { to: [NUMBERS.GB, 447400123456], message: "Hi", sender_id: "Acme" }, "to with a number that is not a string"],
    ["INVALID_TO", { to: [NUMBERS.GB, "+44 7400 123456"], message: "Hi", sender_id: "Acme" }, "to with a number that is not E.164"],
    ["TOO_MANY_RECIPIENTS", { to: Array.from({ length: 101 }, (_, i) => gbNumber(i)), message: "Hi", sender_id: "Acme" }, "101 recipients"],
    ["INVALID_MESSAGE", { to: [NUMBERS.GB], sender_id: "Acme" }, "message missing"],
    ["INVALID_MESSAGE", { to: [NUMBERS.GB], message: "", sender_id: "Acme" }, "message empty"],
    ["INVALID_MESSAGE", { to: [NUMBERS.GB], message: "   ", sender_id: "Acme" }, "message blank"],
    ["MESSAGE_TOO_LONG", { to: [NUMBERS.GB], message: "a".repeat(1531), sender_id: "Acme" }, "11 GSM-7 segments"],
    ["MESSAGE_TOO_LONG", { to: [NUMBERS.GB], message: "ж".repeat(671), sender_id: "Acme" }, "11 UCS-2 segments"],
    ["INVALID_SENDER", { to: [NUMBERS.GB], message: "Hi" }, "sender_id missing"],
    ["INVALID_SENDER", { to: [NUMBERS.GB], message: "Hi", sender_id: "" }, "sender_id empty"],
    ["INVALID_SENDER", { to: [NUMBERS.GB], message: "Hi", sender_id: "1Acme" }, "sender_id starting with a digit"],
    ["INVALID_SENDER", { to: [NUMBERS.GB], message: "Hi", sender_id: "Ac" }, "sender_id too short"],
    ["INVALID_SENDER", { to: [NUMBERS.GB], message: "Hi", sender_id: "AcmeCorporation" }, "sender_id too long"],
  ];

  it.each(cases)("answers 400 %s to %#: %s, storing and billing nothing", async (code, body) => {
    const before = await money(t.db, mainId);
    const res = await send({ key, body });
    expectApiError(res, 400, code);
    expect(await money(t.db, mainId)).toEqual(before);
  });

  it("names the first bad index of to in the INVALID_TO description", async () => {
    const res = await send({ key, body: { to: [NUMBERS.GB, NUMBERS.US, "12345", "also bad"], message: "Hi", sender_id: "Acme" } });
    expectApiError(res, 400, "INVALID_TO");
    expect(res.body.description).toContain("to[2]");
  });

  it("checks in the fixed order body → to → too many → each number → message → length → sender_id → balance", async () => {
    const low = await makeWorkspace(t, "Order", "0");
    const bad = (over: object) => ({ to: ["bad", NUMBERS.GB], message: "", sender_id: "1", ...over });
    const many = [...Array.from({ length: 100 }, (_, i) => gbNumber(i)), "bad"];
    const steps: Array<[unknown, string]> = [
      ["[]", "INVALID_BODY"],
      [{ message: "", sender_id: "1" }, "INVALID_TO"],
      [bad({ to: many }), "TOO_MANY_RECIPIENTS"],
      [bad({}), "INVALID_TO"],
      [bad({ to: [NUMBERS.GB] }), "INVALID_MESSAGE"],
      [bad({ to: [NUMBERS.GB], message: "a".repeat(1600) }), "MESSAGE_TOO_LONG"],
      [bad({ to: [NUMBERS.GB], message: "Hi" }), "INVALID_SENDER"],
      [bad({ to: [NUMBERS.GB], message: "Hi", sender_id: "Acme" }), "INSUFFICIENT_BALANCE"],
    ];
    for (const [body, code] of steps) {
      const res = await send({ key: low.live, body });
      expect({ body, code: res.body.error_code }).toEqual({ body, code });
    }
  });

  it("answers 402 INSUFFICIENT_BALANCE with balance, estimated_cost, currency, total_recipients, billable_recipients and segments", async () => {
    const low = await makeWorkspace(t, "Low", "0.05");
    const message = "Ж".repeat(71); // UCS-2, 2 segments
    const res = await send({ key: low.live, body: { to: [NUMBERS.GB, NUMBERS.FR, NUMBERS.noPrice], message, sender_id: "Acme" } });
    expectApiError(res, 402, "INSUFFICIENT_BALANCE");
    expect(res.body).toEqual({
      status: false,
      error_code: "INSUFFICIENT_BALANCE",
      description: expect.any(String),
      balance: 0.05,
      estimated_cost: Number(decText(2n * (rate("GB") + rate("FR")))),
      currency: "EUR",
      total_recipients: 3,
      billable_recipients: 2,
      segments: 2,
    });
    expect(await money(t.db, low.id)).toMatchObject({ balance: "0.05000", ledger: "0.05000", usage_rows: 0, messages: 0 });
  });

  it("answers 402 to a live send when the balance is zero, however cheap the send", async () => {
    const empty = await makeWorkspace(t, "Empty", "0");
    const res = await send({ key: empty.live, body: ok });
    expectApiError(res, 402, "INSUFFICIENT_BALANCE");
    expect(res.body).toMatchObject({ balance: 0, estimated_cost: Number(decText(rate("GB"))), billable_recipients: 1 });
    expect(await money(t.db, empty.id)).toMatchObject({ balance: "0.00000", messages: 0, ledger_rows: 0 });
  });

  it("answers 409 IDEMPOTENCY_KEY_REUSED to the same Idempotency-Key with another body", async () => {
    const first = await send({ key, body: ok, idempotencyKey: "send-test-409" });
    expect(first.status).toBe(200);
    const before = await money(t.db, mainId);
    const res = await send({ key, body: { ...ok, message: "Hello again" }, idempotencyKey: "send-test-409" });
    expectApiError(res, 409, "IDEMPOTENCY_KEY_REUSED");
    expect(await money(t.db, mainId)).toEqual(before);
  });

  it.each([
    ["", "empty"],
    ["a".repeat(256), "256 characters"],
    ["with space", "a space"],
    ["clé", "non-ASCII"],
  ])("answers 400 INVALID_PARAMETER to a malformed Idempotency-Key header (%#: %s) and sends nothing", async (header) => {
    const before = await money(t.db, mainId);
    const res = await send({ key, body: ok, idempotencyKey: header });
    expectApiError(res, 400, "INVALID_PARAMETER");
    expect(res.body.description).toMatch(/Idempotency-Key/);
    expect(await money(t.db, mainId)).toEqual(before);
  });
});

describe("200: the documented shape, exact pricing", () => {
  it("lists accepted messages, every recipient's result and the summary, exactly as docs/api-v1.md §3 shows", async () => {
    const to = [NUMBERS.GB, NUMBERS.US, NUMBERS.FR];
    const submitJobs = await jobCount(t.db, QUEUES.smsSubmit);
    const res = await sendBilled({ to, message: "Your code is 123456", sender_id: "Acme" }, rate("GB") + rate("US") + rate("FR"));
    expect(Object.keys(res.body).sort()).toEqual(["messages", "results", "status", "summary"]);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const ids: string[] = res.body.results.map((r: { message_id: string }) => r.message_id);
    expect(res.body).toEqual({
      status: true,
      messages: to.map((dnis, i) => ({ dnis, message_id: ids[i], segment_num: 1 })),
      results: to.map((dnis, i) => ({ dnis, message_id: ids[i], segments: 1, status: "accepted" })),
      summary: {
        total_recipients: 3,
        total_segments: 3,
        total_cost: Number(decText(rate("GB") + rate("US") + rate("FR"))),
        encoding: "GSM-7",
        accepted_count: 3,
        blocked_count: 0,
        queue_error_count: 0,
        config_error_count: 0,
        db_error_count: 0,
      },
    });
    for (const id of ids) {
      expect(id).toMatch(MESSAGE_ID(mainId));
      // The middle part is the send time in Unix nanoseconds.
      expect(Math.abs(Number(BigInt(id.split("_")[2]) / 1_000_000n) - Date.now())).toBeLessThan(60_000);
    }
    expect(new Set(ids).size).toBe(3);

    const stored = await t.db
      .select()
      .from(messages)
      .where(sql`${messages.messageId} in ${ids}`);
    expect(stored).toHaveLength(3);
    for (const [i, dnis] of to.entries()) {
      const row = stored.find((m) => m.messageId === ids[i])!;
      expect(row).toMatchObject({
        workspaceId: mainId,
        mode: "live",
        recipient: dnis,
        senderId: "Acme",
        body: "Your code is 123456",
        encoding: "GSM-7",
        segments: 1,
        status: "pending",
        currency: "EUR",
      });
      expect(dec(row.cost)).toBe(rate(["GB", "US", "FR"][i]));
    }
    expect(await jobCount(t.db, QUEUES.smsSubmit)).toBe(submitJobs + 1);
  });

  it("gives 100 recipients 100 distinct, well-formed message ids", async () => {
    const to = Array.from({ length: 100 }, (_, i) => gbNumber(1000 + i));
    const res = await sendBilled({ to, message: "Bulk", sender_id: "Acme" }, 100n * rate("GB"));
    const ids = res.body.messages.map((m: { message_id: string }) => m.message_id);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    for (const id of ids) expect(id).toMatch(MESSAGE_ID(mainId));
    expect(res.body.summary).toMatchObject({ total_recipients: 100, total_segments: 100, accepted_count: 100 });
  });

  it.each([
    ["plain ASCII", "Hello world", "GSM-7", 1],
    ["160 GSM-7 characters", "a".repeat(160), "GSM-7", 1],
    ["161 GSM-7 characters", "a".repeat(161), "GSM-7", 2],
    ["80 euro signs (extension characters count 2)", "€".repeat(80), "GSM-7", 1],
    ["81 euro signs", "€".repeat(81), "GSM-7", 2],
    ["Cyrillic", "Привет", "UCS-2", 1],
    ["70 UCS-2 characters", "ж".repeat(70), "UCS-2", 1],
    ["71 UCS-2 characters", "ж".repeat(71), "UCS-2", 2],
    ["an emoji (2 UTF-16 units) in 69 characters", "a".repeat(68) + "👋", "UCS-2", 1],
    ["an emoji in 70 characters", "a".repeat(69) + "👋", "UCS-2", 2],
  ] as const)("bills %s as %s × %i segment(s) at the country rate", async (_name, message, encoding, segments) => {
    const to = [NUMBERS.GB, NUMBERS.DE];
    const res = await sendBilled({ to, message, sender_id: "Acme" }, BigInt(segments) * (rate("GB") + rate("DE")));
    expect(res.body.summary).toMatchObject({ encoding, total_segments: 2 * segments, total_recipients: 2 });
    expect(res.body.messages.map((m: { segment_num: number }) => m.segment_num)).toEqual([segments, segments]);
    expect(res.body.results.map((r: { segments: number }) => r.segments)).toEqual([segments, segments]);
  });

  it("sends (and bills) a repeated number once per entry", async () => {
    const res = await sendBilled({ to: [NUMBERS.US, NUMBERS.US], message: "Twice", sender_id: "+14155550000" }, 2n * rate("US"));
    expect(res.body.summary.accepted_count).toBe(2);
    expect(res.body.messages[0].message_id).not.toBe(res.body.messages[1].message_id);
  });

  it("bills at the country's highest network rate", async () => {
    const [row] = await rows<{ min: string; max: string }>(
      t.db,
      sql`select min(rate)::text as min, max(rate)::text as max from prices where country = 'GB'`,
    );
    expect(dec(row.min)).toBeLessThan(dec(row.max)); // the seed prices GB's networks differently
    await sendBilled({ to: [NUMBERS.GB], message: "Max", sender_id: "Acme" }, dec(row.max));
  });
});

describe("the Crown Dependencies (+44 numbers of Guernsey, Jersey and the Isle of Man)", () => {
  it("sends the upstream docs' example to both recipients, billing the Guernsey number at the UK rate, and shows GG by name in by-country statistics", async () => {
    const example = { to: ["+14155551234", "+447911123456"], message: "Your code is 123456", sender_id: "Acme" };
    expect(rate("GG")).toBe(rate("GB"));
    const res = await sendBilled(example, rate("US") + rate("GG"));
    expect(res.body.results.map((r: { dnis: string; status: string }) => [r.dnis, r.status])).toEqual([
      ["+14155551234", "accepted"],
      ["+447911123456", "accepted"],
    ]);
    expect(res.body.summary).toMatchObject({ total_recipients: 2, accepted_count: 2, config_error_count: 0 });
    const [guernsey] = await t.db.select().from(messages).where(eq(messages.messageId, res.body.results[1].message_id));
    expect(guernsey).toMatchObject({ country: "GG", status: "pending" });
    expect(dec(guernsey.cost)).toBe(rate("GB"));

    const stats = await callApi(byCountryRoute.GET, { path: "/api/v1/sms/stats/by-country?country=GG", key });
    expect(stats.status).toBe(200);
    expect(stats.body.countries).toEqual([expect.objectContaining({ country: "GG", country_name: "Guernsey", total_sent: 1 })]);
  });

  it.each([
    ["Jersey", "+447797123456", "JE"],
    ["the Isle of Man", "+447624123456", "IM"],
  ])("prices %s (%s) at the UK rate", async (_name, number, country) => {
    expect(rate(country)).toBe(rate("GB"));
    const res = await sendBilled({ to: [number], message: "Hi", sender_id: "Acme" }, rate("GB"));
    expect(res.body.results[0].status).toBe("accepted");
  });
});

describe("blocked countries and recipients without a price", () => {
  it("reports a blocked country per recipient, stores it failed at cost 0 and bills only the rest", async () => {
    await t.db
      .update(workspaces)
      .set({ blockedCountries: ["DE"] })
      .where(eq(workspaces.id, mainId));
    try {
      const res = await sendBilled({ to: [NUMBERS.GB, NUMBERS.DE], message: "Hi", sender_id: "Acme" }, rate("GB"));
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(["accepted", "blocked_country"]);
      // Ours: the refused recipient says why and what to do; the accepted one has no failure at all.
      expect(res.body.results[0]).not.toHaveProperty("failure");
      expect(res.body.results[1].failure).toMatchObject({ category: "blocked_country", retryable: false });
      expect(res.body.results[1].failure.action).toMatch(/blocked countries in Settings/);
      expect(res.body.messages).toEqual([{ dnis: NUMBERS.GB, message_id: res.body.results[0].message_id, segment_num: 1 }]);
      expect(res.body.summary).toMatchObject({
        total_recipients: 2,
        total_segments: 1,
        accepted_count: 1,
        blocked_count: 1,
        config_error_count: 0,
      });
      const [de] = await t.db.select().from(messages).where(eq(messages.messageId, res.body.results[1].message_id));
      expect(de).toMatchObject({ recipient: NUMBERS.DE, country: "DE", status: "failed", statusCode: "blocked_country" });
      expect(dec(de.cost)).toBe(0n);
    } finally {
      await t.db.update(workspaces).set({ blockedCountries: [] }).where(eq(workspaces.id, mainId));
    }
  });

  it("answers 200 with nothing billed when every recipient is blocked", async () => {
    await t.db
      .update(workspaces)
      .set({ blockedCountries: ["DE", "FR"] })
      .where(eq(workspaces.id, mainId));
    try {
      const submitJobs = await jobCount(t.db, QUEUES.smsSubmit);
      const res = await sendBilled({ to: [NUMBERS.DE, NUMBERS.FR], message: "Hi", sender_id: "Acme" }, 0n);
      expect(res.body.messages).toEqual([]);
      expect(res.body.summary).toMatchObject({ total_cost: 0, total_segments: 0, accepted_count: 0, blocked_count: 2 });
      expect(await jobCount(t.db, QUEUES.smsSubmit)).toBe(submitJobs);
    } finally {
      await t.db.update(workspaces).set({ blockedCountries: [] }).where(eq(workspaces.id, mainId));
    }
  });

  it("reports config_error, unbilled, for a country without a price and for a number without a country", async () => {
    expect(rates.has("CN")).toBe(false);
    const to = [NUMBERS.noPrice, NUMBERS.GB, NUMBERS.noCountry];
    const res = await sendBilled({ to, message: "Hi", sender_id: "Acme" }, rate("GB"));
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(["config_error", "accepted", "config_error"]);
    expect(res.body.results.map((r: { failure?: { category: string } }) => r.failure?.category)).toEqual([
      "unsupported_destination",
      undefined,
      "unsupported_destination",
    ]);
    expect(res.body.summary).toMatchObject({ accepted_count: 1, config_error_count: 2, blocked_count: 0, total_segments: 1 });
    const stored = await t.db
      .select()
      .from(messages)
      .where(sql`${messages.messageId} in ${[res.body.results[0].message_id, res.body.results[2].message_id]}`);
    expect(stored.map((m) => [m.recipient, m.country, m.status, m.statusCode, dec(m.cost)]).sort()).toEqual(
      [
        [NUMBERS.noPrice, "CN", "failed", "config_error", 0n],
        [NUMBERS.noCountry, null, "failed", "config_error", 0n],
      ].sort(),
    );
  });
});

describe("money", () => {
  it("keeps workspaces.balance equal to Σ ledger_entries.amount, one usage row per billed send, never negative", async () => {
    const m = await money(t.db, mainId);
    expect(m.balance).toBe(m.ledger);
    expect(dec(m.balance)).toBeGreaterThanOrEqual(0n);
    expect(dec(m.balance)).toBeLessThan(dec("250"));
    const [usage] = await rows<{ total: string; n: number }>(
      t.db,
      sql`select coalesce(sum(amount), 0)::text as total, count(*)::int as n from ledger_entries where workspace_id = ${mainId} and type = 'usage'`,
    );
    const [billed] = await rows<{ total: string }>(
      t.db,
      sql`select coalesce(sum(cost), 0)::text as total from messages where workspace_id = ${mainId} and mode = 'live'`,
    );
    // Every usage row is exactly the cost of the messages it paid for.
    expect(dec(usage.total)).toBe(-dec(billed.total));
    expect(usage.n).toBe(m.usage_rows);
    expect(dec("250") - dec(m.balance)).toBe(dec(billed.total));
  });
});
