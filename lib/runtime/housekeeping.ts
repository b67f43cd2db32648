import { lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { idempotencyKeys, signatureReplays } from "@/db/schema";
import { purgeEndedSessions } from "@/lib/auth/sessions";

/**
 * Hourly: forget idempotency keys older than 24 h, expired HMAC replay entries,
 * and portal sessions that ended (revoked or expired) more than 30 days ago.
 */
export async function housekeeping(db: Db): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, sql`now() - interval '24 hours'`));
  await db.delete(signatureReplays).where(lt(signatureReplays.expiresAt, new Date()));
  await purgeEndedSessions(db);
}
