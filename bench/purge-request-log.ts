/**
 * The request log's retention, measured (README, "Request log retention"): the
 * time to purge 1,000,000 rows past retention (beside 100,000 newer ones) with
 * the job's batched DELETE (`purgeRequestLog`), and, for comparison, by dropping
 * daily partitions of a range-partitioned copy of the table.
 *
 *   node_modules/.bin/tsx bench/purge-request-log.ts                 # in-memory PGlite
 *   PURGE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/purge_bench node_modules/.bin/tsx bench/purge-request-log.ts
 *
 * PURGE_DATABASE_URL must name an empty, throwaway database (it is migrated and
 * written to). Env: PURGE_ROWS (1000000), PURGE_BATCH (the job's default).
 */
import { openDatabase } from "@/db/client";
import { purgeRequestLog } from "@/lib/runtime/retention";

const ROWS = Number(process.env.PURGE_ROWS ?? 1_000_000);
const NEWER = 100_000;
const batchSize = process.env.PURGE_BATCH ? Number(process.env.PURGE_BATCH) : undefined;
const url = process.env.PURGE_DATABASE_URL;
const database = await openDatabase(url ? { url, max: 2 } : {});
const q = (text: string) => database.query(text);
const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const start = process.hrtime.bigint();
  const value = await run();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
};

// ROWS rows spread over 40–30 days ago (past a 30-day retention), NEWER rows within the last day.
const fill = (table: string) => `
  insert into ${table} (key_id, workspace_id, mode, method, path, status, latency_ms, address, request_id, created_at)
  select 'key_' || (g % 500), g % 20, 'live', 'GET', '/api/v1/user/balance', 200, 3, '203.0.113.' || (g % 250), 'req_' || g,
         now() - interval '40 days' + g * (interval '10 days' / ${ROWS + 1})
  from generate_series(1, ${ROWS}) g;
  insert into ${table} (key_id, workspace_id, mode, method, path, status, latency_ms, address, request_id, created_at)
  select 'key_' || (g % 500), g % 20, 'live', 'GET', '/api/v1/user/balance', 200, 3, '203.0.113.1', 'req_new_' || g,
         now() - g * interval '0.5 second'
  from generate_series(1, ${NEWER}) g;
  analyze ${table};`;
const count = async (table: string) => Number((await database.query(`select count(*)::int as n from ${table}`)).rows[0].n);

console.log(
  `${url ? "Postgres" : "PGlite (in memory)"}: ${ROWS.toLocaleString("en")} rows past retention, ${NEWER.toLocaleString("en")} newer`,
);

// A: the job's purge on the real table.
await q(`truncate api_requests`);
await q(fill("api_requests"));
const [deleted, deleteMs] = await timed(() => purgeRequestLog(database.db, new Date(), 30, batchSize ? { batchSize } : {}));
console.log(
  `A  batched DELETE (purgeRequestLog): ${deleted.toLocaleString("en")} rows in ${(deleteMs / 1000).toFixed(1)} s; ${await count("api_requests")} left`,
);
await q(`truncate api_requests`);

// B: the same rows in a copy partitioned by day; the old days' partitions dropped.
await q(`drop table if exists purge_partitioned cascade`);
await q(`create table purge_partitioned (like api_requests including defaults including identity) partition by range (created_at)`);
await q(`create index on purge_partitioned (key_id, created_at desc)`);
await q(`create index on purge_partitioned (workspace_id, created_at desc)`);
const day = (d: number) => `date_trunc('day', now()) - interval '${d} days'`;
for (let d = 41; d >= 0; d--)
  await q(`create table purge_partitioned_${d} partition of purge_partitioned for values from (${day(d)}) to (${day(d - 1)})`);
await q(fill("purge_partitioned"));
// Whole days only: the partitions that end before the cutoff.
const [, dropMs] = await timed(async () => {
  for (let d = 41; d >= 31; d--) await q(`drop table purge_partitioned_${d}`);
});
console.log(
  `B  drop 11 daily partitions: ${(dropMs / 1000).toFixed(2)} s; ${await count("purge_partitioned")} left (whole days: up to a day more is kept)`,
);
await q(`drop table purge_partitioned cascade`);
await database.close();
