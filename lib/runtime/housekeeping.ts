import type { Db } from "@/db";
import { purgeEndedSessions } from "@/lib/auth/sessions";
import { purgeOldKeySpend } from "@/lib/keys/spend";
import { log } from "@/lib/log";
import { purgeExpiredRateLimits, purgeExpiredReplays, purgeIdempotencyKeys } from "./retention";

/**
 * Hourly: forget idempotency keys older than 24 h, expired HMAC replay entries,
 * expired rate-limit counters, and portal sessions that ended (revoked or
 * expired) more than 30 days ago, and keys' daily spend rows past 35 days.
 */
export async function housekeeping(db: Db, now = new Date()): Promise<void> {
  const idempotencyKeys = await purgeIdempotencyKeys(db, now);
  const replays = await purgeExpiredReplays(db, now);
  const rateLimits = await purgeExpiredRateLimits(db, now);
  const sessions = await purgeEndedSessions(db);
  const keySpendDays = await purgeOldKeySpend(db);
  if (idempotencyKeys || replays || rateLimits || sessions || keySpendDays)
    log.info({ idempotencyKeys, replays, rateLimits, sessions, keySpendDays }, "housekeeping purged");
}
