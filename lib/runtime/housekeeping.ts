import type { Db } from "@/db";
import { log } from "@/lib/log";
import { purgeExpiredRateLimits, purgeExpiredReplays, purgeIdempotencyKeys } from "./retention";

/** Hourly: forget idempotency keys older than 24 h, expired HMAC replay entries and expired rate-limit counters. */
export async function housekeeping(db: Db, now = new Date()): Promise<void> {
  const idempotencyKeys = await purgeIdempotencyKeys(db, now);
  const replays = await purgeExpiredReplays(db, now);
  const rateLimits = await purgeExpiredRateLimits(db, now);
  if (idempotencyKeys || replays || rateLimits) log.info({ idempotencyKeys, replays, rateLimits }, "housekeeping purged");
}
