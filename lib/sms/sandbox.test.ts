/**
 * Test mode (docs/api-v1.md §6): a `sk_test_` key gets the same validation, codes,
 * order, encoding and cost preview as live, never touches the balance (so never
 * 402), answers `sandbox: true`, stores its messages as mode 'test' only, and
 * answers 503 SANDBOX_UNAVAILABLE — storing nothing — when the sandbox is down.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import { QUEUES } from "@/lib/queue/queue";
import type { Jobs } from "@/lib/runtime/jobs";
import { expectApiError } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import {
  countryRates,
  dec,
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
let rates: Map<string, bigint>;
let ws: Awaited<ReturnType<typeof makeWorkspace>>;
let broke: Awaited<ReturnType<typeof makeWorkspace>>;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
  rates = await countryRates(t.db);
  ws = await makeWorkspace(t, "Sandbox", "10");
  broke = await makeWorkspace(t, "Broke", "0");
});

afterAll(() => teardownSms({ t, runtime, jobs }));

const SANDBOX_DOWN = process.env.SANDBOX_DOWN;
afterEach(() => {
  if (SANDBOX_DOWN === undefined) delete process.env.SANDBOX_DOWN;
  else process.env.SANDBOX_DOWN = SANDBOX_DOWN;
});

describe("a test-mode send", () => {
  it("answers the live shape plus sandbox: true, with the same cost preview, and debits nothing", async () => {
    const before = await money(t.db, ws.id);
    const submitJobs = await jobCount(t.db, QUEUES.smsSubmit);
    const body = { to: [NUMBERS.GB, NUMBERS.FR], message: "Привет", sender_id: "Acme" };
    const res = await send({ key: ws.test, body });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["messages", "results", "sandbox", "status", "summary"]);
    expect(res.body.sandbox).toBe(true);
    expect(res.body.summary).toEqual({
      total_recipients: 2,
      total_segments: 2,
      total_cost: res.body.summary.total_cost,
      encoding: "UCS-2",
      accepted_count: 2,
      blocked_count: 0,
      queue_error_count: 0,
      config_error_count: 0,
      db_error_count: 0,
    });
    expect(numUnits(res.body.summary.total_cost)).toBe(rates.get("GB")! + rates.get("FR")!);
    for (const m of res.body.messages) expect(m.message_id).toMatch(MESSAGE_ID(ws.id));

    const after = await money(t.db, ws.id);
    expect(after.balance).toBe(before.balance);
    expect(after.ledger_rows).toBe(before.ledger_rows);
    expect(after.messages).toBe(before.messages + 2);
    // The sandbox still gets the job: it synthesizes the reports.
    expect(await jobCount(t.db, QUEUES.smsSubmit)).toBe(submitJobs + 1);
  });

  it("stores its messages as mode 'test' rows of its key, apart from live ones", async () => {
    const live = await send({ key: ws.live, body: { to: [NUMBERS.GB], message: "Live", sender_id: "Acme" } });
    const test = await send({ key: ws.test, body: { to: [NUMBERS.GB], message: "Test", sender_id: "Acme" } });
    expect(live.status).toBe(200);
    expect(live.body.sandbox).toBeUndefined();
    expect(test.status).toBe(200);
    const [liveRow] = await t.db.select().from(messages).where(eq(messages.messageId, live.body.messages[0].message_id));
    const [testRow] = await t.db.select().from(messages).where(eq(messages.messageId, test.body.messages[0].message_id));
    expect(liveRow).toMatchObject({ mode: "live", body: "Live" });
    expect(testRow).toMatchObject({ mode: "test", body: "Test", status: "pending" });
    expect(testRow.keyId).not.toBe(liveRow.keyId);
    // Only the live send reached the ledger.
    const m = await money(t.db, ws.id);
    expect(m.usage_rows).toBe(1);
    expect(dec("10") - dec(m.balance)).toBe(rates.get("GB")!);
    expect(m.balance).toBe(m.ledger);
  });

  it("is never refused for the balance: 200 with a zero balance, where live answers 402", async () => {
    const body = { to: [NUMBERS.GB, NUMBERS.US], message: "a".repeat(500), sender_id: "Acme" };
    const live = await send({ key: broke.live, body });
    expectApiError(live, 402, "INSUFFICIENT_BALANCE");
    const test = await send({ key: broke.test, body });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ sandbox: true, summary: { accepted_count: 2, total_segments: 8 } });
    expect(await money(t.db, broke.id)).toMatchObject({ balance: "0.00000", ledger: "0.00000", ledger_rows: 0, messages: 2 });
  });

  it("reports blocked countries and missing prices like live, unbilled", async () => {
    await t.db.execute(sql`update workspaces set blocked_countries = '{DE}' where id = ${ws.id}`);
    try {
      const res = await send({ key: ws.test, body: { to: [NUMBERS.DE, NUMBERS.noPrice, NUMBERS.GB], message: "Hi", sender_id: "Acme" } });
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(["blocked_country", "config_error", "accepted"]);
      expect(numUnits(res.body.summary.total_cost)).toBe(rates.get("GB")!);
    } finally {
      await t.db.execute(sql`update workspaces set blocked_countries = '{}' where id = ${ws.id}`);
    }
  });
});

describe("validation in test mode", () => {
  const bodies: Array<[string, unknown]> = [
    ["not an object", "[]"],
    ["to missing", { message: "Hi", sender_id: "Acme" }],
    ["101 recipients, one bad", { to: [...Array.from({ length: 100 }, (_, i) => gbNumber(i)), "bad"], message: "", sender_id: "1" }],
    ["a bad number", { to: [NUMBERS.GB, "+0123"], message: "", sender_id: "1" }],
    ["an empty message", { to: [NUMBERS.GB], message: "", sender_id: "1" }],
    ["11 segments", { to: [NUMBERS.GB], message: "b".repeat(1531), sender_id: "1" }],
    ["a bad sender", { to: [NUMBERS.GB], message: "Hi", sender_id: "1" }],
  ];

  it.each(bodies)("answers %s exactly as a live key does", async (_name, body) => {
    const live = await send({ key: ws.live, body });
    const test = await send({ key: ws.test, body });
    expect(live.status).toBe(400);
    expect({ status: test.status, body: test.body }).toEqual({ status: live.status, body: live.body });
  });

  it("answers a malformed Idempotency-Key as live does", async () => {
    const body = { to: [NUMBERS.GB], message: "Hi", sender_id: "Acme" };
    const live = await send({ key: ws.live, body, idempotencyKey: "bad key" });
    const test = await send({ key: ws.test, body, idempotencyKey: "bad key" });
    expectApiError(test, 400, "INVALID_PARAMETER");
    expect(test.body).toEqual(live.body);
  });
});

describe("when the sandbox is down", () => {
  it("answers 503 SANDBOX_UNAVAILABLE and stores nothing, while live sends go on", async () => {
    process.env.SANDBOX_DOWN = "true";
    const before = await money(t.db, ws.id);
    const submitJobs = await jobCount(t.db, QUEUES.smsSubmit);
    const body = { to: [NUMBERS.GB], message: "Hi", sender_id: "Acme" };
    const res = await send({ key: ws.test, body, idempotencyKey: "while-down" });
    expectApiError(res, 503, "SANDBOX_UNAVAILABLE");
    expect(await money(t.db, ws.id)).toEqual(before);
    expect(await jobCount(t.db, QUEUES.smsSubmit)).toBe(submitJobs);
    const [{ n }] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from idempotency_keys where workspace_id = ${ws.id}`);
    expect(n).toBe(0);

    // A test key never falls through to live sending; live keys are not affected.
    const live = await send({ key: ws.live, body });
    expect(live.status).toBe(200);
    expect(live.body.sandbox).toBeUndefined();
  });

  it("still validates first: a bad body is a 400, not a 503", async () => {
    process.env.SANDBOX_DOWN = "true";
    const res = await send({ key: ws.test, body: { to: [], message: "Hi", sender_id: "Acme" } });
    expectApiError(res, 400, "INVALID_TO");
  });

  it("sends again once the sandbox is back, even under the Idempotency-Key of the refused request", async () => {
    const res = await send({ key: ws.test, body: { to: [NUMBERS.GB], message: "Hi", sender_id: "Acme" }, idempotencyKey: "while-down" });
    expect(res.status).toBe(200);
    expect(res.body.sandbox).toBe(true);
  });
});
