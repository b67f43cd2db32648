/**
 * Concurrent sends of one workspace (docs/api-v1.md §3): the balance is checked and
 * debited in the same transaction under a row lock, so 50 simultaneous sends
 * against a balance that covers 20 accept exactly 20, refuse 30 with 402, and
 * leave the balance at exactly 0 — never below — with balance = Σ ledger.
 * (On PGlite the sends serialize anyway; on Postgres the row lock does it.)
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ApiRuntime } from "@/lib/api/runtime";
import { QUEUES } from "@/lib/queue/queue";
import type { Jobs } from "@/lib/runtime/jobs";
import type { TestDatabase } from "@/tests/db";
import {
  countryRates,
  dec,
  decText,
  gbNumber,
  jobCount,
  makeWorkspace,
  money,
  NUMBERS,
  rows,
  send,
  setupSms,
  teardownSms,
} from "@/tests/sms";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;
let gbRate: bigint;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
  gbRate = (await countryRates(t.db)).get("GB")!;
});

afterAll(() => teardownSms({ t, runtime, jobs }));

it("accepts exactly 20 of 50 simultaneous sends when the balance covers 20, and ends at exactly 0", async () => {
  const ws = await makeWorkspace(t, "Race", decText(20n * gbRate), { rateLimitPerSecond: 100_000 });
  const submitJobs = await jobCount(t.db, QUEUES.smsSubmit);
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => send({ key: ws.live, body: { to: [gbNumber(i)], message: "One segment", sender_id: "Acme" } })),
  );
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(20);
  expect(statuses.filter((s) => s === 402)).toHaveLength(30);
  for (const r of results.filter((r) => r.status === 402)) expect(r.body.error_code).toBe("INSUFFICIENT_BALANCE");
  for (const r of results.filter((r) => r.status === 200)) expect(dec(String(r.body.summary.total_cost))).toBe(gbRate);

  const m = await money(t.db, ws.id);
  expect(dec(m.balance)).toBe(0n);
  expect(m.balance).toBe(m.ledger);
  expect(m.usage_rows).toBe(20);
  expect(m.messages).toBe(20);
  expect(await jobCount(t.db, QUEUES.smsSubmit)).toBe(submitJobs + 20);
  const [usage] = await rows<{ each: string; n: number }>(
    t.db,
    sql`select min(amount)::text as each, count(distinct amount)::int as n from ledger_entries where workspace_id = ${ws.id} and type = 'usage'`,
  );
  expect({ each: dec(usage.each), distinct: usage.n }).toEqual({ each: -gbRate, distinct: 1 });
});

it("never lets simultaneous multi-recipient sends take the balance below zero", async () => {
  // 7 × 3 recipients fit in 23 sends' worth of balance; the 8th and later cannot.
  const ws = await makeWorkspace(t, "Race 2", decText(23n * gbRate), { rateLimitPerSecond: 100_000 });
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      send({ key: ws.live, body: { to: [NUMBERS.GB, NUMBERS.GB, NUMBERS.GB], message: "Three", sender_id: "Acme" } }),
    ),
  );
  expect(results.filter((r) => r.status === 200)).toHaveLength(7);
  expect(results.filter((r) => r.status === 402)).toHaveLength(13);
  const m = await money(t.db, ws.id);
  expect(dec(m.balance)).toBe(2n * gbRate);
  expect(m.balance).toBe(m.ledger);
  expect(m.usage_rows).toBe(7);
  expect(m.messages).toBe(21);
});
