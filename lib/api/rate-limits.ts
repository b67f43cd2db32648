import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Redis } from "ioredis";
import type { Db } from "@/db";
import { rateLimits } from "@/db/schema";

export const FAILED_AUTH_LIMIT = { points: 20, duration: 60 } as const;

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * The guard's two limits (rate-limiter-flexible):
 * - requests per workspace per second (the workspace's own number, default 1,000);
 * - failed authentications per client address (20 a minute), then TOO_MANY_ATTEMPTS.
 *
 * With REDIS_URL both counters live in Redis and every instance shares them. Without
 * it, failed authentications are counted in the database (rare writes, shared), and
 * the per-workspace request counter is kept per process: exact for the embedded
 * single process, per instance otherwise (set REDIS_URL when running several).
 */
export class ApiRateLimits {
  // Addresses known to be over the failure limit, so their requests stop before any I/O.
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly requests: RateLimiterAbstract,
    private readonly failures: RateLimiterAbstract,
  ) {}

  static create(options: { redis?: Redis | null; db?: Db | null }): ApiRateLimits {
    // Points are checked by hand against each workspace's own limit, so the limiter's cap is only a ceiling.
    const requestOpts = { keyPrefix: "api_ws", points: 1_000_000_000, duration: 1 };
    const failureOpts = { keyPrefix: "api_fail", ...FAILED_AUTH_LIMIT };
    if (options.redis) {
      return new ApiRateLimits(
        new RateLimiterRedis({ storeClient: options.redis, ...requestOpts }),
        new RateLimiterRedis({ storeClient: options.redis, ...failureOpts }),
      );
    }
    const failures = options.db
      ? new RateLimiterDrizzle({ storeClient: options.db, schema: rateLimits, clearExpiredByTimeout: false, ...failureOpts })
      : new RateLimiterMemory(failureOpts);
    return new ApiRateLimits(new RateLimiterMemory(requestOpts), failures);
  }

  /** Counts one request of the workspace; refuses past `perSecond`. */
  async request(workspaceId: number, perSecond: number): Promise<RateDecision> {
    const res = await this.requests.consume(String(workspaceId), 1);
    if (res.consumedPoints <= perSecond) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
  }

  /** Seconds this address must still wait after too many failures, or 0. No I/O. */
  blockedFor(address: string | null, now = Date.now()): number {
    if (!address) return 0;
    const until = this.blockedUntil.get(address);
    if (!until) return 0;
    if (until <= now) {
      this.blockedUntil.delete(address);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  /** Counts a failed authentication; returns the wait once the address is over the limit. */
  async failure(address: string | null): Promise<RateDecision> {
    if (!address) return { ok: true };
    const res = await this.failures.penalty(address, 1);
    if (res.consumedPoints <= FAILED_AUTH_LIMIT.points) return { ok: true };
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    this.blockedUntil.set(address, Date.now() + retryAfterSeconds * 1000);
    return { ok: false, retryAfterSeconds };
  }
}
