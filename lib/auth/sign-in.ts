import type { Db } from "@/db";
import { authenticate } from "./authenticate";
import { signInLimiterFor } from "./sign-in-limits";
import { startSession } from "./sessions";

export type SignInAttempt = { email: string; password: string; address: string | null; userAgent: string | null };

export type SignInOutcome =
  | { ok: true; user: { id: number; email: string; name: string }; sessionToken: string }
  | { ok: false; reason: "incorrect" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

/**
 * The one sign-in every entry point passes (next-auth's authorize(): the portal's
 * form and next-auth's own routes alike): count the attempt against the limits,
 * only then verify the password, and on success start a server-side session.
 */
export async function signInWithPassword(db: Db, attempt: SignInAttempt): Promise<SignInOutcome> {
  const limiter = signInLimiterFor(db);
  const email = attempt.email.toLowerCase();
  const allowed = await limiter.attempt(email, attempt.address);
  if (!allowed.allowed) return { ok: false, reason: "locked", retryAfterSeconds: allowed.retryAfterSeconds };

  const user = await authenticate(db, email, attempt.password);
  if (!user) return { ok: false, reason: "incorrect" };

  await limiter.succeeded(email, attempt.address);
  const session = await startSession(db, { userId: user.id, address: attempt.address, userAgent: attempt.userAgent });
  return { ok: true, user, sessionToken: session.token };
}
