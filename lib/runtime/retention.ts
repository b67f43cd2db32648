import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { executeRows } from "@/db/client";
import { log } from "@/lib/log";

export const DEFAULT_REQUEST_LOG_RETENTION_DAYS = 30;
/** The longest period a key's page charts from the hourly counters (24 h / 7 d / 30 d). */
export const LONGEST_CHART_DAYS = 30;
const DAY_MS = 86_400_000;

/** REQUEST_LOG_RETENTION_DAYS: whole days ≥ 1, default 30; anything else is logged and the default used. */
export function requestLogRetentionDays(raw = process.env.REQUEST_LOG_RETENTION_DAYS): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_REQUEST_LOG_RETENTION_DAYS;
  const days = Number(raw);
  if (Number.isInteger(days) && days >= 1) return days;
  log.warn({ value: raw }, `REQUEST_LOG_RETENTION_DAYS is not a whole number of days ≥ 1; using ${DEFAULT_REQUEST_LOG_RETENTION_DAYS}`);
  return DEFAULT_REQUEST_LOG_RETENTION_DAYS;
}

export type PurgeOptions = {
  /** Rows per DELETE. Each batch is its own short statement: row locks only, held for one batch. */
  batchSize?: number;
  /** Stop after this long; the next run goes on from there (the job must not outlive its schedule). */
  maxMs?: number;
};

/**
 * 1,000-row batches. Measured (bench/purge-request-log.ts: 1,000,000 rows past
 * retention beside 100,000 newer ones, this 2-core machine): Postgres 15 purges
 * them in 8–10 s (4 s in 5,000-row batches), PGlite in ~27 s. On PGlite a batch
 * holds the process's one thread for ~30 ms, so that is the longest a request
 * waits behind the purge; larger batches were faster there too but held it for
 * up to 400 ms.
 */
const DEFAULTS = { batchSize: 1000, maxMs: 5 * 60_000 } satisfies Required<PurgeOptions>;

type Purgeable = { table: string; column: string };
/** Each table's time column (indexed for exactly this) and what "old" means for it. */
const REQUEST_LOG: Purgeable = { table: "api_requests", column: "created_at" };
const REQUEST_COUNTS: Purgeable = { table: "api_request_counts", column: "hour" };
const RATE_LIMITS: Purgeable = { table: "rate_limits", column: "expire" };
const SIGNATURE_REPLAYS: Purgeable = { table: "signature_replays", column: "expires_at" };
const IDEMPOTENCY_KEYS: Purgeable = { table: "idempotency_keys", column: "created_at" };

/**
 * Deletes the rows of `target` whose time column is before `before`, oldest
 * first, `batchSize` rows per statement, until none is left or `maxMs` has
 * passed. Each batch starts where the last one ended (a cursor on the indexed
 * column), so it never walks again over the index entries of rows it already
 * deleted; the rows are deleted by ctid (a TID scan). Between batches the event
 * loop runs, so on the embedded database requests are served between them.
 * Returns how many rows were deleted.
 */
async function purgeBefore(db: Db, target: Purgeable, before: Date, options: PurgeOptions = {}): Promise<number> {
  const { batchSize, maxMs } = { ...DEFAULTS, ...options };
  const table = sql.identifier(target.table);
  const column = sql.identifier(target.column);
  const until = before.toISOString();
  const startedAt = Date.now();
  let from = "-infinity";
  let deleted = 0;
  for (;;) {
    const [batch] = await executeRows<{ n: number; last: string | null }>(
      db,
      sql`with doomed as (
            select ctid from ${table} where ${column} >= ${from}::timestamptz and ${column} < ${until}::timestamptz
            order by ${column} limit ${batchSize}
          ), gone as (
            delete from ${table} where ctid = any(array(select ctid from doomed)) returning ${column} as at
          )
          select count(*)::int as n, max(at)::text as last from gone`,
    );
    deleted += Number(batch.n);
    if (Number(batch.n) < batchSize || batch.last === null) break;
    from = batch.last;
    if (Date.now() - startedAt > maxMs) {
      log.info({ table: target.table, deleted }, "purge paused at its time limit; the next run goes on");
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return deleted;
}

/** The request log (`api_requests`): rows older than REQUEST_LOG_RETENTION_DAYS. */
export function purgeRequestLog(db: Db, now = new Date(), days = requestLogRetentionDays(), options?: PurgeOptions): Promise<number> {
  return purgeBefore(db, REQUEST_LOG, new Date(now.getTime() - days * DAY_MS), options);
}

/**
 * The hourly counters per key (`api_request_counts`): kept as long as the log,
 * and never less than the 30 days a key's page charts (they are small: one row
 * per key, hour, status and error code).
 */
export function purgeRequestCounts(db: Db, now = new Date(), days = requestLogRetentionDays(), options?: PurgeOptions): Promise<number> {
  const keep = Math.max(days, LONGEST_CHART_DAYS);
  return purgeBefore(db, REQUEST_COUNTS, new Date(now.getTime() - keep * DAY_MS), options);
}

/** Rate-limit counters (`rate_limits`, sign-in and failed-authentication limits) whose window has ended. */
export function purgeExpiredRateLimits(db: Db, now = new Date(), options?: PurgeOptions): Promise<number> {
  return purgeBefore(db, RATE_LIMITS, now, options);
}

/** HMAC replay memory (`signature_replays`) past its window: a signature that old fails the timestamp check anyway. */
export function purgeExpiredReplays(db: Db, now = new Date(), options?: PurgeOptions): Promise<number> {
  return purgeBefore(db, SIGNATURE_REPLAYS, now, options);
}

/** Idempotency keys older than 24 h (their promise ends there). */
export function purgeIdempotencyKeys(db: Db, now = new Date(), options?: PurgeOptions): Promise<number> {
  return purgeBefore(db, IDEMPOTENCY_KEYS, new Date(now.getTime() - DAY_MS), options);
}

/** The request-log retention job: the log, then its counters. */
export async function requestLogRetention(db: Db, now = new Date()): Promise<{ requests: number; counts: number }> {
  const days = requestLogRetentionDays();
  const requests = await purgeRequestLog(db, now, days);
  const counts = await purgeRequestCounts(db, now, days);
  if (requests || counts) log.info({ requests, counts, days }, "request log purged");
  return { requests, counts };
}
