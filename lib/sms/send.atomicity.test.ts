/**
 * A send is one transaction (docs/api-v1.md §3 "Atomic"): a failure at any point
 * after rows were written — half the messages in, the balance debited, the
 * ledger row in — leaves no message, no debit, no ledger row and no job, and
 * answers 500 DB_ERROR saying nothing was sent. Failures are injected with
 * plpgsql triggers, which run the same on PGlite and Postgres.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { workspaces } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import { QUEUES } from "@/lib/queue/queue";
import type { Jobs } from "@/lib/runtime/jobs";
import { expectApiError, makeKey } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import { gbNumber, jobCount, money, send, setupSms, teardownSms } from "@/tests/sms";

let t: TestDatabase;
let runtime: ApiRuntime;
let jobs: Jobs;
let key: string;
let mainId: number;

beforeAll(async () => {
  ({ t, runtime, jobs } = await setupSms());
  mainId = t.seed.mainWorkspaceId;
  await t.db.update(workspaces).set({ rateLimitPerSecond: 100_000 }).where(eq(workspaces.id, mainId));
  key = (await makeKey(t)).secret;
});

afterAll(() => teardownSms({ t, runtime, jobs }));

const recipients = Array.from({ length: 100 }, (_, i) => gbNumber(i));
const body = { to: recipients, message: "All or nothing", sender_id: "Acme" };

async function state() {
  return { ...(await money(t.db, mainId)), submitJobs: await jobCount(t.db, QUEUES.smsSubmit) };
}

/** Installs `BEFORE INSERT … FOR EACH ROW` on `table` that raises when `when` holds, runs `run`, then drops it. */
async function withFailingTrigger(table: string, when: string, run: () => Promise<void>) {
  await t.db.execute(
    sql.raw(`create or replace function test_inject_failure() returns trigger language plpgsql as $$
      begin
        if ${when} then raise exception 'injected failure on %', TG_TABLE_NAME; end if;
        return NEW;
      end $$`),
  );
  await t.db.execute(
    sql.raw(`create trigger test_inject_failure before insert on ${table} for each row execute function test_inject_failure()`),
  );
  try {
    await run();
  } finally {
    await t.db.execute(sql.raw(`drop trigger if exists test_inject_failure on ${table}`));
    await t.db.execute(sql.raw(`drop function if exists test_inject_failure()`));
  }
}

const points: Array<[string, string, string]> = [
  // The 51st row of the multi-row insert: 50 messages are already written.
  ["the 51st of 100 message rows", "messages", `NEW.recipient = '${recipients[50]}'`],
  // After every message row and the balance debit.
  ["the ledger row, after the messages and the debit", "ledger_entries", `NEW.type = 'usage'`],
  // After messages, debit and ledger row: the last write of the send.
  ["the sms-submit job, after messages, debit and ledger", "pgboss.job", `NEW.name = '${QUEUES.smsSubmit}'`],
];

it.each(points)("leaves no message, debit, ledger row or job when %s fails, and answers 500 DB_ERROR", async (_name, table, when) => {
  const before = await state();
  await withFailingTrigger(table, when, async () => {
    const res = await send({ key, body });
    expectApiError(res, 500, "DB_ERROR");
    expect(res.body.description).toMatch(/nothing was sent/i);
    expect(res.body.description).not.toMatch(/injected failure/);
    expect(await state()).toEqual(before);
  });
});

it("sends the same request normally once the failure is gone (safe to retry)", async () => {
  const before = await state();
  const res = await send({ key, body });
  expect(res.status).toBe(200);
  expect(res.body.summary.accepted_count).toBe(100);
  const after = await state();
  expect(after.messages).toBe(before.messages + 100);
  expect(after.usage_rows).toBe(before.usage_rows + 1);
  expect(after.submitJobs).toBe(before.submitJobs + 1);
  expect(after.balance).toBe(after.ledger);
});
