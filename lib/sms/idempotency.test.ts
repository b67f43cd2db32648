/**
 * Idempotency-Key on POST /sms/send (docs/api-v1.md §3, ours): the same key and
 * body within 24 h returns the first response again and sends nothing, another
 * body gets 409 — also when the requests race, and across server instances.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerEntries, workspaces } from "@/db/schema";
import { openDatabase } from "@/db/client";
import { createApiRuntime, installApiRuntime, type ApiRuntime } from "@/lib/api/runtime";
import { createJobs, installJobs, type Jobs } from "@/lib/runtime/jobs";
import { expectApiError } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import { gbNumber, makeWorkspace, money, NUMBERS, rows, send, setupSms, teardownSms } from "@/tests/sms";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;
let ws: Awaited<ReturnType<typeof makeWorkspace>>;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
  ws = await makeWorkspace(t, "Idempotent", "100");
});

afterAll(() => teardownSms({ t, runtime, jobs }));

let n = 0;
const body = () => ({ to: [NUMBERS.GB, gbNumber(++n)], message: `Order ${n} shipped`, sender_id: "Acme" });

describe("Idempotency-Key", () => {
  it("answers a repeat with the same key and body with the first response, sending nothing", async () => {
    const b = body();
    const first = await send({ key: ws.live, body: b, idempotencyKey: "order-1" });
    expect(first.status).toBe(200);
    const before = await money(t.db, ws.id);
    const second = await send({ key: ws.live, body: b, idempotencyKey: "order-1" });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await money(t.db, ws.id)).toEqual(before);
  });

  it("answers 409 to the same key with another body, and keeps the first response for the first body", async () => {
    const b = body();
    const first = await send({ key: ws.live, body: b, idempotencyKey: "order-2" });
    const before = await money(t.db, ws.id);
    expectApiError(
      await send({ key: ws.live, body: { ...b, message: "Something else" }, idempotencyKey: "order-2" }),
      409,
      "IDEMPOTENCY_KEY_REUSED",
    );
    // Any byte of difference is another body.
    expectApiError(
      await send({ key: ws.live, body: JSON.stringify(b, null, 1), idempotencyKey: "order-2" }),
      409,
      "IDEMPOTENCY_KEY_REUSED",
    );
    expect((await send({ key: ws.live, body: b, idempotencyKey: "order-2" })).body).toEqual(first.body);
    expect(await money(t.db, ws.id)).toEqual(before);
  });

  it("gives simultaneous requests with the same key and body one send and the same response", async () => {
    const b = body();
    const before = await money(t.db, ws.id);
    const results = await Promise.all(Array.from({ length: 5 }, () => send({ key: ws.live, body: b, idempotencyKey: "order-race" })));
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body).toEqual(results[0].body);
    }
    const after = await money(t.db, ws.id);
    expect(after.messages).toBe(before.messages + 2);
    expect(after.usage_rows).toBe(before.usage_rows + 1);
    expect(after.balance).toBe(after.ledger);
  });

  it("does not keep a refused send: after a 402 and a top-up, the same key sends", async () => {
    const poor = await makeWorkspace(t, "Poor", "0");
    const b = body();
    expectApiError(await send({ key: poor.live, body: b, idempotencyKey: "retry-after-topup" }), 402, "INSUFFICIENT_BALANCE");
    await t.db.transaction(async (tx) => {
      await tx
        .update(workspaces)
        .set({ balance: "1" })
        .where(sql`${workspaces.id} = ${poor.id}`);
      await tx
        .insert(ledgerEntries)
        .values({ workspaceId: poor.id, amount: "1", currency: "EUR", type: "deposit", description: "Top-up", source: "portal" });
    });
    const res = await send({ key: poor.live, body: b, idempotencyKey: "retry-after-topup" });
    expect(res.status).toBe(200);
    expect((await money(t.db, poor.id)).messages).toBe(2);
  });

  it("scopes keys to the workspace: the same key in another workspace is another send", async () => {
    const other = await makeWorkspace(t, "Other", "5");
    const b = body();
    const here = await send({ key: ws.live, body: b, idempotencyKey: "shared-name" });
    const there = await send({ key: other.live, body: b, idempotencyKey: "shared-name" });
    expect(here.status).toBe(200);
    expect(there.status).toBe(200);
    expect(there.body.messages[0].message_id).not.toBe(here.body.messages[0].message_id);
    expect((await money(t.db, other.id)).messages).toBe(2);
  });

  it("never answers a live send with a test send's response (nor the reverse) under the same key", async () => {
    const b = body();
    const test = await send({ key: ws.test, body: b, idempotencyKey: "env-shared" });
    expect(test.body.sandbox).toBe(true);
    const before = await money(t.db, ws.id);
    const live = await send({ key: ws.live, body: b, idempotencyKey: "env-shared" });
    expect(live.status).toBe(200);
    expect(live.body.sandbox).toBeUndefined();
    const after = await money(t.db, ws.id);
    expect(after.messages).toBe(before.messages + 2);
    expect(after.usage_rows).toBe(before.usage_rows + 1);
    // And each mode still replays its own response.
    expect((await send({ key: ws.test, body: b, idempotencyKey: "env-shared" })).body).toEqual(test.body);
    expect((await send({ key: ws.live, body: b, idempotencyKey: "env-shared" })).body).toEqual(live.body);
  });

  it("sends again once the key is older than 24 h", async () => {
    const b = body();
    const first = await send({ key: ws.live, body: b, idempotencyKey: "yesterday" });
    await t.db.execute(sql`update idempotency_keys set created_at = now() - interval '24 hours 1 minute' where workspace_id = ${ws.id}`);
    const before = await money(t.db, ws.id);
    const again = await send({ key: ws.live, body: { ...b, message: "A new body is fine too" }, idempotencyKey: "yesterday" });
    expect(again.status).toBe(200);
    expect(again.body.messages[0].message_id).not.toBe(first.body.messages[0].message_id);
    expect((await money(t.db, ws.id)).messages).toBe(before.messages + 2);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("across two server instances", () => {
  it("answers the second instance with the response stored by the first, with one set of messages", async () => {
    const database2 = await openDatabase({ url: t.url!, max: 4 });
    const runtime2 = await createApiRuntime(database2, { redisUrl: process.env.REDIS_URL });
    const jobs2 = await createJobs(database2, { workers: false });
    try {
      const b = body();
      const before = await money(t.db, ws.id);
      const first = await send({ key: ws.live, body: b, idempotencyKey: "two-instances" });
      installApiRuntime(runtime2);
      installJobs(jobs2);
      let second: Awaited<ReturnType<typeof send>>;
      try {
        second = await send({ key: ws.live, body: b, idempotencyKey: "two-instances" });
      } finally {
        installApiRuntime(runtime);
        installJobs(jobs);
      }
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      const after = await money(t.db, ws.id);
      expect(after.messages).toBe(before.messages + 2);
      expect(after.usage_rows).toBe(before.usage_rows + 1);
      const [{ n: stored }] = await rows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from idempotency_keys where key like '%two-instances'`,
      );
      expect(stored).toBe(1);
    } finally {
      await jobs2.stop();
      await runtime2.close();
      await database2.close();
    }
  });
});
