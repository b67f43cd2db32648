/**
 * A message's life after the send, run by the real workers on the real queue
 * (docs/api-v1.md §3 statuses, §6 sandbox): pending → sent → final status, with the
 * sandbox's magic recipients giving each final status (and code) deterministically
 * and +15005550004 never getting one. Delays are shortened through the env
 * (SANDBOX_DLR_DELAY_MS, CARRIER_SIM_LATENCY_MS); every wait is a bounded poll.
 */
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { messages } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import { QUEUES } from "@/lib/queue/queue";
import { createJobs, installJobs, type Jobs } from "@/lib/runtime/jobs";
import { startRuntime } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { makeWorkspace, money, NUMBERS, rows, send, waitFor } from "@/tests/sms";
import { MAGIC_RECIPIENTS } from "./carrier";

const ENV = { SANDBOX_DLR_DELAY_MS: "300", CARRIER_SIM_LATENCY_MS: "100-300", CARRIER_SIM_OUTCOMES: "DELIVRD:1" } as const;
const saved: Record<string, string | undefined> = {};

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;
let ws: Awaited<ReturnType<typeof makeWorkspace>>;

beforeAll(async () => {
  // Read when the carriers are made (createJobs) and at each submit.
  for (const [name, value] of Object.entries(ENV)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  jobs = await createJobs(t.database, { workers: true });
  installJobs(jobs);
  ws = await makeWorkspace(t, "Lifecycle", "10");
});

afterAll(async () => {
  await jobs?.stop();
  await runtime?.close();
  await t?.close();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const FINAL = new Set(["DELIVRD", "UNDELIV", "REJECTD", "EXPIRED", "UNKNOWN", "failed"]);
const read = (ids: string[]) => t.db.select().from(messages).where(inArray(messages.messageId, ids));
type Row = Awaited<ReturnType<typeof read>>[number];
const byRecipient = (list: Row[]) => Object.fromEntries(list.map((m) => [m.recipient, m]));

it("moves a sandbox message to sent, then DELIVRD, and each magic recipient to its own outcome", async () => {
  const magic = Object.keys(MAGIC_RECIPIENTS);
  expect(magic).toEqual(["+15005550001", "+15005550002", "+15005550003", "+15005550004", "+15005550005", "+15005550006"]);
  const reporting = magic.filter((r) => r !== "+15005550004");
  const res = await send({ key: ws.test, body: { to: [NUMBERS.GB, ...magic], message: "Lifecycle", sender_id: "Acme" } });
  expect(res.status).toBe(200);
  const ids: string[] = res.body.messages.map((m: { message_id: string }) => m.message_id);
  expect(ids).toHaveLength(7);

  // Every status the normal message shows while we watch, in order.
  const seen: string[] = [];
  const settled = await waitFor(
    async () => {
      const list = byRecipient(await read(ids));
      const status = list[NUMBERS.GB].status;
      if (seen.at(-1) !== status) seen.push(status);
      return list;
    },
    (list) => [NUMBERS.GB, ...reporting].every((r) => FINAL.has(list[r].status)),
    { timeoutMs: 20_000, everyMs: 25 },
  );

  const normal = settled[NUMBERS.GB];
  expect(seen).toContain("sent");
  expect(seen.at(-1)).toBe("DELIVRD");
  expect(["pending", "sent", "DELIVRD"].filter((s) => seen.includes(s))).toEqual(seen);
  expect(normal).toMatchObject({ mode: "test", status: "DELIVRD", statusCode: "000" });
  expect(normal.carrierMessageId).toMatch(/^sandbox-[0-9a-f]{16}$/);
  expect(normal.sentAt).toBeInstanceOf(Date);
  expect(normal.deliveredAt).toBeInstanceOf(Date);
  expect(normal.deliveredAt!.getTime()).toBeGreaterThanOrEqual(normal.sentAt!.getTime());

  expect(settled["+15005550001"]).toMatchObject({ status: "UNDELIV", statusCode: "001", deliveredAt: null });
  expect(settled["+15005550002"]).toMatchObject({ status: "REJECTD", statusCode: "002", deliveredAt: null });
  expect(settled["+15005550003"]).toMatchObject({ status: "EXPIRED", statusCode: "003", deliveredAt: null });
  // Opted out, and a number not in service: their own codes, for their own failures (lib/sms/status-codes.ts).
  expect(settled["+15005550005"]).toMatchObject({ status: "REJECTD", statusCode: "005", deliveredAt: null });
  expect(settled["+15005550006"]).toMatchObject({ status: "UNDELIV", statusCode: "006", deliveredAt: null });
  for (const r of reporting) expect(settled[r].sentAt).toBeInstanceOf(Date);

  // +15005550004: sent, and no report was ever scheduled for it (in a job of either shape) …
  const never = settled["+15005550004"];
  expect(never).toMatchObject({ status: "sent", deliveredAt: null });
  const reportJobsOf = async (messageId: string) => {
    const [{ n }] = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.smsReport}
        and (data->>'messageId' = ${messageId} or data->'reports' @> ${JSON.stringify([{ messageId }])}::jsonb)`,
    );
    return n;
  };
  expect(await reportJobsOf(never.messageId)).toBe(0);
  expect(await reportJobsOf(normal.messageId)).toBe(1);
  // … and it is still sent after a few more rounds of the workers (they poll every 0.5 s).
  const until = Date.now() + 1500;
  await waitFor(
    async () => (await read([never.messageId]))[0],
    (row) => {
      expect(row.status).toBe("sent");
      return Date.now() > until;
    },
    { everyMs: 100 },
  );
  // The sandbox never touched the balance.
  const m = await money(t.db, ws.id);
  expect(m).toMatchObject({ balance: "10.00000", ledger: "10.00000", usage_rows: 0 });
});

it("delivers a live message through the carrier simulator (CARRIER_SIM_OUTCOMES=DELIVRD:1), still billed once", async () => {
  const before = await money(t.db, ws.id);
  const res = await send({ key: ws.live, body: { to: [NUMBERS.FR, NUMBERS.US], message: "Live lifecycle", sender_id: "Acme" } });
  expect(res.status).toBe(200);
  const ids: string[] = res.body.messages.map((m: { message_id: string }) => m.message_id);
  const done = await waitFor(
    () => read(ids),
    (list) => list.length === 2 && list.every((m) => FINAL.has(m.status)),
  );
  for (const m of done) {
    expect(m).toMatchObject({ mode: "live", status: "DELIVRD", statusCode: "000" });
    expect(m.carrierMessageId).toMatch(/^sim-[0-9a-f]{16}$/);
    expect(m.deliveredAt).toBeInstanceOf(Date);
  }
  const after = await money(t.db, ws.id);
  expect(after.usage_rows).toBe(before.usage_rows + 1);
  expect(after.balance).toBe(after.ledger);
});
