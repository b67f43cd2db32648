import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { QUEUES, startQueue, type Queue } from "./queue";

let t: TestDatabase;
let queue: Queue;
beforeAll(async () => {
  t = await createTestDatabase();
  queue = await startQueue(t.database, { schedule: false });
}, 60_000);
afterAll(async () => {
  await queue.stop();
  await t.close();
});

it("runs a job enqueued inside a committed transaction", async () => {
  const seen = new Promise<unknown>((resolve) => {
    void queue.boss.work(QUEUES.housekeeping, { pollingIntervalSeconds: 0.5 }, async ([job]) => resolve(job.data));
  });
  await t.db.transaction(async (tx) => {
    await queue.send(tx, QUEUES.housekeeping, { hello: "world", n: [1, 2] });
  });
  expect(await seen).toEqual({ hello: "world", n: [1, 2] });
});

it("enqueues nothing when the transaction rolls back", async () => {
  const marker = randomUUID();
  const jobs = async (db: DbOrTx) => {
    const result = (await db.execute(
      sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.smsReport} and data->>'marker' = ${marker}`,
    )) as unknown;
    return (Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows)[0].n;
  };
  let insideTransaction: number | undefined;
  const rolledBack = t.db.transaction(async (tx) => {
    await queue.send(tx, QUEUES.smsReport, { marker });
    // The job is written by the transaction's own statements: visible in it...
    insideTransaction = await jobs(tx);
    throw new Error("roll back");
  });
  await expect(rolledBack).rejects.toThrow("roll back");
  expect(insideTransaction).toBe(1);
  // ...and gone with it.
  expect(await jobs(t.db)).toBe(0);
});

it("schedules a cron job without data (pg-boss passes undefined, which postgres.js refuses)", async () => {
  await queue.boss.schedule(QUEUES.housekeeping, "37 * * * *");
  const schedules = await t.db.execute(sql`select name, data from pgboss.schedule where name = ${QUEUES.housekeeping}`);
  const list = Array.isArray(schedules) ? schedules : (schedules as unknown as { rows: unknown[] }).rows;
  expect(list).toEqual([{ name: QUEUES.housekeeping, data: null }]);
  await queue.boss.unschedule(QUEUES.housekeeping);
});
