import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/db";
import { rateLimits } from "@/db/schema";

/**
 * Failed sign-ins are limited per email (a targeted guess) and per client address
 * (a spray over many emails). Counters live in Postgres/PGlite, so every instance
 * sees the same numbers. Only failures consume points; a success clears the email's.
 */
export const SIGN_IN_LIMITS = {
  perEmail: { points: 5, duration: 15 * 60 },
  perAddress: { points: 20, duration: 15 * 60 },
} as const;

export type SignInLimiter = {
  /** Seconds until sign-in may be tried again, or 0 when allowed. */
  blockedFor(email: string, address: string | null): Promise<number>;
  recordFailure(email: string, address: string | null): Promise<void>;
  recordSuccess(email: string): Promise<void>;
};

export function createSignInLimiter(db: Db): SignInLimiter {
  const common = { storeClient: db, schema: rateLimits, clearExpiredByTimeout: false };
  const byEmail = new RateLimiterDrizzle({ ...common, keyPrefix: "signin_email", ...SIGN_IN_LIMITS.perEmail });
  const byAddress = new RateLimiterDrizzle({ ...common, keyPrefix: "signin_addr", ...SIGN_IN_LIMITS.perAddress });

  const remainingBlock = (res: RateLimiterRes | null, limit: number) =>
    res && res.consumedPoints >= limit ? Math.ceil(res.msBeforeNext / 1000) : 0;

  return {
    async blockedFor(email, address) {
      const [e, a] = await Promise.all([byEmail.get(email), address ? byAddress.get(address) : null]);
      return Math.max(remainingBlock(e, SIGN_IN_LIMITS.perEmail.points), remainingBlock(a, SIGN_IN_LIMITS.perAddress.points));
    },
    async recordFailure(email, address) {
      // penalty() adds points without throwing when the limit is passed.
      await Promise.all([byEmail.penalty(email, 1), address ? byAddress.penalty(address, 1) : null]);
    },
    async recordSuccess(email) {
      await byEmail.delete(email);
    },
  };
}
