import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { sessions, users } from "@/db/schema";
import { SESSION_LIFETIME } from "./session-lifetime";

/**
 * Server-side portal sessions. The cookie's JWT carries a random token; the row
 * is keyed by its hash. Every page and server action checks the row (joined into
 * loadPortalContext), so ending a session here signs it out on every instance at
 * the next request, whatever copies of the cookie exist.
 */

export type SessionInfo = {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  address: string | null;
  userAgent: string | null;
};

/** The row id of a cookie's token: its SHA-256, so the table holds nothing a cookie could be made from. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/**
 * Starts a session at sign-in (and records the person's last sign-in, shown on the
 * Team page); the returned token goes into the JWT, never into the database.
 */
export async function startSession(
  db: DbOrTx,
  input: { userId: number; address: string | null; userAgent: string | null },
): Promise<{ token: string; id: string }> {
  const token = randomBytes(32).toString("base64url");
  const id = sessionIdOf(token);
  await db.insert(sessions).values({
    id,
    userId: input.userId,
    expiresAt: sql`now() + make_interval(secs => ${SESSION_LIFETIME.idleSeconds})`,
    address: input.address,
    // A header of any length: keep what a list needs.
    userAgent: input.userAgent?.slice(0, 512) ?? null,
  });
  await db
    .update(users)
    .set({ lastSignInAt: sql`now()` })
    .where(eq(users.id, input.userId));
  return { token, id };
}

/** The condition a session must meet to count: neither revoked nor expired. */
export const liveSession = () => and(isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`));

/**
 * Records activity, at most once a minute per session: last_seen_at, and the idle
 * expiry moves with it (never past the absolute one). A no-op for an ended session.
 */
export async function touchSession(db: DbOrTx, id: string, lastSeenAt: Date, now = new Date()): Promise<void> {
  if (now.getTime() - lastSeenAt.getTime() < SESSION_LIFETIME.touchEverySeconds * 1000) return;
  await db
    .update(sessions)
    .set({
      lastSeenAt: sql`now()`,
      expiresAt: sql`least(now() + make_interval(secs => ${SESSION_LIFETIME.idleSeconds}),
                           ${sessions.createdAt} + make_interval(secs => ${SESSION_LIFETIME.absoluteSeconds}))`,
    })
    .where(
      and(
        eq(sessions.id, id),
        liveSession(),
        lt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${SESSION_LIFETIME.touchEverySeconds})`),
      ),
    );
}

/** Ends one session (sign-out). True when it was still live. */
export async function endSession(db: DbOrTx, id: string): Promise<boolean> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}

/**
 * Ends every session of a person: "Sign out everywhere", a role change or removal
 * (all of them), a password change (all but the one it was made from: `except`).
 * Returns how many were live.
 */
export async function endAllSessions(db: DbOrTx, userId: number, options: { except?: string } = {}): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), options.except ? ne(sessions.id, options.except) : undefined))
    .returning({ id: sessions.id });
  return ended.length;
}

/** A person's live sessions, most recently used first (for "Your account"). */
export async function listActiveSessions(db: DbOrTx, userId: number): Promise<SessionInfo[]> {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      address: sessions.address,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), liveSession()))
    .orderBy(desc(sessions.lastSeenAt), sessions.id);
}

/** Hourly housekeeping: forget sessions that ended (revoked or expired) longer ago than the retention. */
export async function purgeEndedSessions(db: DbOrTx, retentionDays: number = SESSION_LIFETIME.retentionDays): Promise<number> {
  const cutoff = sql`now() - make_interval(days => ${retentionDays})`;
  const purged = await db
    .delete(sessions)
    .where(or(lt(sessions.revokedAt, cutoff), lt(sessions.expiresAt, cutoff)))
    .returning({ id: sessions.id });
  return purged.length;
}
