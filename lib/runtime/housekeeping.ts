import { lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { idempotencyKeys, signatureReplays } from "@/db/schema";

/** Hourly: forget idempotency keys older than 24 h and expired HMAC replay entries. */
export async function housekeeping(db: Db): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, sql`now() - interval '24 hours'`));
  await db.delete(signatureReplays).where(lt(signatureReplays.expiresAt, new Date()));
}
