import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/db";
import { rateLimits } from "@/db/schema";

/**
 * Sign-in attempts are limited per email (a targeted guess) and per client address
 * (a spray over many emails). Counters live in Postgres/PGlite, so every instance
 * sees the same numbers.
 *
 * An attempt CONSUMES a point before its password is verified (one atomic upsert
 * per counter), so concurrent guesses cannot all pass a check made before any of
 * them is counted: at most `points` passwords are ever verified per window. A
 * success then clears the email's counter and gives the address its point back,
 * so only failures add up.
 */
export const SIGN_IN_LIMITS = {
  perEmail: { points: 5, duration: 15 * 60 },
  perAddress: { points: 20, duration: 15 * 60 },
} as const;

export type SignInLimiter = {
  /** Counts an attempt. `allowed: false` (with the seconds to wait) means: do not verify the password. */
  attempt(email: string, address: string | null): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  /** The attempt's password was right. */
  succeeded(email: string, address: string | null): Promise<void>;
};

export function createSignInLimiter(db: Db): SignInLimiter {
  const common = { storeClient: db, schema: rateLimits, clearExpiredByTimeout: false };
  const byEmail = new RateLimiterDrizzle({ ...common, keyPrefix: "signin_email", ...SIGN_IN_LIMITS.perEmail });
  const byAddress = new RateLimiterDrizzle({ ...common, keyPrefix: "signin_addr", ...SIGN_IN_LIMITS.perAddress });

  const refused = (error: unknown) => {
    // consume() rejects with a RateLimiterRes when over the limit, with an Error when the store fails.
    if (!(error instanceof RateLimiterRes)) throw error;
    return { allowed: false as const, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
  };

  return {
    async attempt(email, address) {
      // The address first: from a blocked address, a guess costs the targeted email nothing.
      try {
        if (address) await byAddress.consume(address);
        await byEmail.consume(email);
        return { allowed: true };
      } catch (error) {
        return refused(error);
      }
    },
    async succeeded(email, address) {
      await Promise.all([byEmail.delete(email), address ? byAddress.reward(address, 1) : null]);
    },
  };
}

// One limiter per database handle (Next evaluates modules several times per process; tests open several databases).
const globalForLimiter = globalThis as unknown as { __signInLimiters?: WeakMap<Db, SignInLimiter> };

export function signInLimiterFor(db: Db): SignInLimiter {
  const limiters = (globalForLimiter.__signInLimiters ??= new WeakMap());
  let limiter = limiters.get(db);
  if (!limiter) limiters.set(db, (limiter = createSignInLimiter(db)));
  return limiter;
}
