/**
 * key.expiring (7 days and 1 day ahead) and key.expired (ours; docs/api-v1.md §5),
 * found by the key-expiry-events job (every 5 minutes, lib/runtime/workers.ts).
 *
 * Exactly once per (key, notice, expiry), however many instances run the job,
 * at the same time or again: each notice is a row of key_expiry_notices,
 * inserted (ON CONFLICT DO NOTHING) in the transaction that enqueues its event;
 * a concurrent run's insert waits for that commit and then inserts nothing. The
 * row is written whether or not the workspace subscribes, so subscribing later
 * never replays old notices. Only the notice due now is sent: a key first seen
 * 12 hours before its expiry gets key.expiring with expires_in_days 1, not 7.
 * A changed expiry is a new one (its own notices). Revoked keys get none.
 */
import { and, eq, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import type { Db } from "@/db";
import { apiKeys, keyExpiryNotices, type ApiKeyRow, type KeyExpiryNotice } from "@/db/schema";
import { enqueueKeyEvent, type QueueRef } from "@/lib/webhooks/account-events";

const DAY_MS = 86_400_000;

/** The notice due for a key expiring at `expiresAt`, seen at `now`; null when more than 7 days remain. */
export function dueNotice(expiresAt: Date, now: Date): KeyExpiryNotice | null {
  const remaining = expiresAt.getTime() - now.getTime();
  if (remaining <= 0) return "expired";
  if (remaining <= DAY_MS) return "expiring_1d";
  if (remaining <= 7 * DAY_MS) return "expiring_7d";
  return null;
}

/** The job: every due notice not yet given, each in its own transaction; returns how many were given now. */
export async function announceKeyExpiry(db: Db, queue: QueueRef, now = new Date()): Promise<number> {
  const candidates = await db
    .select()
    .from(apiKeys)
    .where(and(isNotNull(apiKeys.expiresAt), isNull(apiKeys.revokedAt), lte(apiKeys.expiresAt, new Date(now.getTime() + 7 * DAY_MS))));
  if (candidates.length === 0) return 0;
  const given = await db
    .select({ keyId: keyExpiryNotices.keyId, notice: keyExpiryNotices.notice, expiresAt: keyExpiryNotices.expiresAt })
    .from(keyExpiryNotices)
    .where(
      inArray(
        keyExpiryNotices.keyId,
        candidates.map((k) => k.id),
      ),
    );
  const done = new Set(given.map((g) => `${g.keyId}|${g.notice}|${g.expiresAt.getTime()}`));
  let count = 0;
  for (const key of candidates) {
    const expiresAt = key.expiresAt!;
    const notice = dueNotice(expiresAt, now);
    if (!notice || done.has(`${key.id}|${notice}|${expiresAt.getTime()}`)) continue;
    if (await announce(db, queue, key, notice, expiresAt, now)) count++;
  }
  return count;
}

async function announce(db: Db, queue: QueueRef, key: ApiKeyRow, notice: KeyExpiryNotice, expiresAt: Date, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .insert(keyExpiryNotices)
      .values({ keyId: key.id, notice, expiresAt })
      .onConflictDoNothing()
      .returning({ keyId: keyExpiryNotices.keyId });
    if (!claimed) return false;
    // Still this expiry and not revoked (the key may have changed since it was read).
    const [current] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, key.id), isNull(apiKeys.revokedAt), eq(apiKeys.expiresAt, expiresAt)));
    if (!current) return false;
    if (notice === "expired") await enqueueKeyEvent(tx, queue, current, "key.expired", {}, now);
    else await enqueueKeyEvent(tx, queue, current, "key.expiring", { expires_in_days: notice === "expiring_1d" ? 1 : 7 }, now);
    return true;
  });
}
