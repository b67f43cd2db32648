import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { memberships, users } from "@/db/schema";
import { recordAuditIn } from "@/lib/audit/record";
import { authenticate } from "./authenticate";
import { signInLimiterFor } from "./sign-in-limits";
import { startSession } from "./sessions";
import { issueTwoFactorChallenge, verifyTwoFactorChallenge } from "./two-factor-challenge";
import { hasTwoFactor, verifySecondFactor } from "./two-factor";

export type SignInAttempt = { email: string; password: string; address: string | null; userAgent: string | null };
export type SecondFactorAttempt = { challenge: string; code: string; address: string | null; userAgent: string | null };

export type SignInOutcome =
  | { ok: true; user: { id: number; email: string; name: string }; sessionToken: string }
  | { ok: false; reason: "incorrect" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number }
  /** The password was right and the person has two-factor sign-in on: no session yet, a code is next. */
  | { ok: false; reason: "two_factor"; challenge: string };

export type SecondFactorOutcome =
  | { ok: true; user: { id: number; email: string; name: string }; sessionToken: string }
  | { ok: false; reason: "incorrect" }
  /** The challenge expired or is not ours: start again from the password. */
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

/**
 * The one sign-in every entry point passes (next-auth's authorize(): the portal's
 * form and next-auth's own routes alike): count the attempt against the limits,
 * only then verify the password, and on success start a server-side session —
 * unless the person has two-factor sign-in on: then only a challenge for the
 * second step (signInWithSecondFactor), never a session.
 * Audited (lib/audit/README.md): a sign-in with its session, a wrong password
 * for a known email with the email tried — never the password.
 */
export async function signInWithPassword(db: Db, attempt: SignInAttempt): Promise<SignInOutcome> {
  const limiter = signInLimiterFor(db);
  const email = attempt.email.toLowerCase();
  const allowed = await limiter.attempt(email, attempt.address);
  if (!allowed.allowed) return { ok: false, reason: "locked", retryAfterSeconds: allowed.retryAfterSeconds };

  const user = await authenticate(db, email, attempt.password);
  if (!user) {
    await recordFailedSignIn(db, email, attempt.address);
    return { ok: false, reason: "incorrect" };
  }

  await limiter.succeeded(email, attempt.address);
  if (await hasTwoFactor(db, user.id)) return { ok: false, reason: "two_factor", challenge: issueTwoFactorChallenge(user.id) };
  const session = await startAuditedSession(db, { userId: user.id, address: attempt.address, userAgent: attempt.userAgent });
  return { ok: true, user, sessionToken: session.token };
}

/** Sign-in's second step: the challenge from the password step and a code (or a recovery code) → a session. */
export async function signInWithSecondFactor(db: Db, attempt: SecondFactorAttempt): Promise<SecondFactorOutcome> {
  const userId = verifyTwoFactorChallenge(attempt.challenge);
  if (userId === null) return { ok: false, reason: "expired" };
  const check = await verifySecondFactor(db, userId, attempt.code);
  if (!check.ok) return check.reason === "locked" ? check : { ok: false, reason: "incorrect" };
  const user = await userById(db, userId);
  if (!user) return { ok: false, reason: "expired" };
  const session = await startAuditedSession(db, { userId, address: attempt.address, userAgent: attempt.userAgent });
  return { ok: true, user, sessionToken: session.token };
}

async function userById(db: Db, id: number) {
  const [row] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, id));
  return row ?? null;
}

/** A session and its sign-in event (one in each of the person's organizations), in one transaction. */
async function startAuditedSession(db: Db, input: { userId: number; address: string | null; userAgent: string | null }) {
  return db.transaction(async (tx) => {
    const started = await startSession(tx, input);
    for (const organizationId of await organizationsOf(tx, input.userId)) {
      await recordAuditIn(
        tx,
        { organizationId, workspaceId: null, actorUserId: input.userId, actorKeyId: null, address: input.address },
        { action: "auth.sign_in", targetType: "member", targetId: String(input.userId) },
      );
    }
    return started;
  });
}

/**
 * A wrong password for an email that has an account: one event in each of the
 * person's organizations (the people who can act on it), no actor (whoever
 * tried is unknown), the email as typed. An email without an account belongs to
 * no organization's log: nothing is written for it.
 */
async function recordFailedSignIn(db: Db, email: string, address: string | null): Promise<void> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (!user) return;
  await db.transaction(async (tx) => {
    for (const organizationId of await organizationsOf(tx, user.id)) {
      await recordAuditIn(
        tx,
        { organizationId, workspaceId: null, actorUserId: null, actorKeyId: null, address },
        {
          action: "auth.sign_in_failed",
          targetType: "member",
          targetId: String(user.id),
          changes: { email: { before: null, after: email } },
        },
      );
    }
  });
}

async function organizationsOf(db: DbOrTx, userId: number): Promise<number[]> {
  const rows = await db.select({ id: memberships.organizationId }).from(memberships).where(eq(memberships.userId, userId));
  return rows.map((r) => r.id);
}
