import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/db";
import { rateLimits } from "@/db/schema";
import { SIGN_IN_LIMITS } from "./sign-in-limits";

/**
 * Wrong two-factor codes are limited like passwords: 5 per person per 15 minutes,
 * wherever a code is checked (sign-in, confirming the setup, turning it off). An
 * attempt consumes a point before the code is checked; a right code clears the
 * count. 5 guesses of 10^6 codes (3 steps valid at a time) per 15 minutes.
 */
export const TWO_FACTOR_LIMITS = SIGN_IN_LIMITS.perEmail;

export type TwoFactorLimiter = {
  attempt(userId: number): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  succeeded(userId: number): Promise<void>;
};

function createTwoFactorLimiter(db: Db): TwoFactorLimiter {
  const limiter = new RateLimiterDrizzle({
    storeClient: db,
    schema: rateLimits,
    clearExpiredByTimeout: false,
    keyPrefix: "2fa_user",
    ...TWO_FACTOR_LIMITS,
  });
  return {
    async attempt(userId) {
      try {
        await limiter.consume(String(userId));
        return { allowed: true };
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
      }
    },
    async succeeded(userId) {
      await limiter.delete(String(userId));
    },
  };
}

const globalForLimiter = globalThis as unknown as { __twoFactorLimiters?: WeakMap<Db, TwoFactorLimiter> };

export function twoFactorLimiterFor(db: Db): TwoFactorLimiter {
  const limiters = (globalForLimiter.__twoFactorLimiters ??= new WeakMap());
  let limiter = limiters.get(db);
  if (!limiter) limiters.set(db, (limiter = createTwoFactorLimiter(db)));
  return limiter;
}
