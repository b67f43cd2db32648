import type { Db } from "@/db";
import { purgeEndedSessions } from "@/lib/auth/sessions";
import { log } from "@/lib/log";
import { purgeExpiredRateLimits, purgeExpiredReplays, purgeIdempotencyKeys } from "./retention";

/**
 * Hourly: forget idempotency keys older than 24 h, expired HMAC replay entries,
 * expired rate-limit counters, and portal sessions that ended (revoked or
 * expired) more than 30 days ago.
 */
export async function housekeeping(db: Db, now = new Date()): Promise<void> {
  const idempotencyKeys = await purgeIdempotencyKeys(db, now);
  const replays = await purgeExpiredReplays(db, now);
  const rateLimits = await purgeExpiredRateLimits(db, now);
  const sessions = await purgeEndedSessions(db);
  if (idempotencyKeys || replays || rateLimits || sessions)
    log.info({ idempotencyKeys, replays, rateLimits, sessions }, "housekeeping purged");
}
