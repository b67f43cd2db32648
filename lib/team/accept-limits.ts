import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/db";
import { rateLimits } from "@/db/schema";
import { ServiceError } from "@/lib/errors/service-error";

/**
 * Invitation acceptance is limited per client address (issue 12): each attempt
 * (join, or create the account) counts, successful or not. Tokens are 256-bit, so
 * this is not what keeps them unguessable; it bounds account creation and
 * password hashing from one address. Counters in the database: every instance
 * sees the same numbers.
 */
export const ACCEPT_LIMIT = { points: 10, duration: 15 * 60 } as const;

const globalForLimiter = globalThis as unknown as { __acceptLimiters?: WeakMap<Db, RateLimiterDrizzle> };

function limiterFor(db: Db): RateLimiterDrizzle {
  const limiters = (globalForLimiter.__acceptLimiters ??= new WeakMap());
  let limiter = limiters.get(db);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      clearExpiredByTimeout: false,
      keyPrefix: "invite_addr",
      ...ACCEPT_LIMIT,
    });
    limiters.set(db, limiter);
  }
  return limiter;
}

/** Counts an acceptance attempt from `address`; throws RATE_LIMITED (with the wait) beyond the limit. */
export async function countAcceptAttempt(db: Db, address: string | null): Promise<void> {
  if (!address) return;
  try {
    await limiterFor(db).consume(address);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const minutes = Math.max(1, Math.ceil(error.msBeforeNext / 60_000));
    throw new ServiceError(
      "RATE_LIMITED",
      `Too many attempts from your address. Try again in ${minutes === 1 ? "1 minute" : `${minutes} minutes`}.`,
      undefined,
      {
        retryAfterSeconds: Math.ceil(error.msBeforeNext / 1000),
      },
    );
  }
}
