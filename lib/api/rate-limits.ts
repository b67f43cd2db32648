import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Redis } from "ioredis";
import type { Db } from "@/db";
import { rateLimits } from "@/db/schema";

export const FAILED_AUTH_LIMIT = { points: 20, duration: 60 } as const;

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Where a workspace stands in the current window, as the RateLimit-* answer
 * headers tell it: the limit, what is left of it, and the seconds until the
 * window resets (docs/api-v1.md, "Rate-limit headers").
 */
export type RateState = { limit: number; remaining: number; resetSeconds: number };
export type RequestDecision = (RateState & { ok: true }) | (RateState & { ok: false; retryAfterSeconds: number });

/**
 * Requests per workspace per second, in fixed one-second windows (the epoch
 * second), decided in this process: allowed while (this window's count shared
 * by every instance, as last read) + (this process's counts not read back yet)
 * stays within the limit. With Redis, the process adds its new requests to the
 * shared counter (`INCRBY api_ws:<workspace>:<second>`) every `flushMs` and
 * reads the total back in the same round trip; the first request of a second
 * for a workspace waits for that round trip (at most `syncTimeoutMs`), so an
 * instance never starts a second blind to what the others already used.
 *
 * So one instance is exact, and several together may overshoot by what the
 * others accepted in the last `flushMs` (50 ms). Measured: one Redis round trip
 * per request (rate-limiter-flexible) cost ~30 µs of app CPU plus Redis's own,
 * a visible share of a cheap request (bench scenario 1); now it is one per
 * workspace per 50 ms. If Redis is unreachable, counts wait for a later flush
 * and each instance goes on limiting on its own.
 */
export class WorkspaceRequestLimiter {
  private readonly windows = new Map<number, Window>();
  private timer: NodeJS.Timeout | null = null;
  private lastSweep = 0;

  constructor(
    private readonly redis: Redis | null,
    private readonly options = { flushMs: 50, keyTtlMs: 2000, syncTimeoutMs: 100 },
  ) {}

  take(workspaceId: number, perSecond: number, now = Date.now()): RequestDecision | Promise<RequestDecision> {
    const second = Math.floor(now / 1000);
    let window = this.windows.get(workspaceId);
    if (!window || window.second !== second) {
      window = { second, shared: 0, inFlight: 0, unflushed: 0, known: !this.redis, ready: null };
      this.windows.set(workspaceId, window);
      if (now - this.lastSweep > 10_000) this.sweep(second);
    }
    if (!window.known) {
      const current = window;
      current.ready ??= this.flushWithin(now).finally(() => (current.known = true));
      return current.ready.then(() => this.decide(current, perSecond, now));
    }
    return this.decide(window, perSecond, now);
  }

  /**
   * The workspace's standing in this second without counting a request (for an
   * answer refused before the limit was reached, e.g. a missing permission). No I/O:
   * a second this process has not read from Redis yet shows only its own counts.
   */
  peek(workspaceId: number, perSecond: number, now = Date.now()): RateState {
    const second = Math.floor(now / 1000);
    const window = this.windows.get(workspaceId);
    const used = window && window.second === second ? window.shared + window.inFlight + window.unflushed : 0;
    return { limit: perSecond, remaining: Math.max(0, perSecond - used), resetSeconds: resetSeconds(second, now) };
  }

  private decide(window: Window, perSecond: number, now: number): RequestDecision {
    const used = window.shared + window.inFlight + window.unflushed;
    const resetIn = resetSeconds(window.second, now);
    if (used >= perSecond) return { ok: false, retryAfterSeconds: resetIn, limit: perSecond, remaining: 0, resetSeconds: resetIn };
    window.unflushed++;
    if (this.redis && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
      this.timer.unref?.();
    }
    return { ok: true, limit: perSecond, remaining: perSecond - used - 1, resetSeconds: resetIn };
  }

  private flushWithin(now: number): Promise<void> {
    return new Promise((resolve) => {
      const timeout = setTimeout(resolve, this.options.syncTimeoutMs);
      void this.flush(now).finally(() => {
        clearTimeout(timeout);
        resolve();
      });
    });
  }

  /** Adds this process's new counts to the shared ones and reads the totals back (one pipeline). */
  async flush(now = Date.now()): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.redis) return;
    // Windows not read yet are sent too (INCRBY 0 reads the total).
    const sent = [...this.windows]
      .filter(([, w]) => w.unflushed > 0 || !w.known)
      .map(([workspaceId, window]) => ({ workspaceId, window, count: window.unflushed }));
    if (sent.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { workspaceId, window, count } of sent) {
      window.unflushed -= count;
      window.inFlight += count;
      const key = `api_ws:${workspaceId}:${window.second}`;
      pipeline.incrby(key, count).pexpire(key, this.options.keyTtlMs);
    }
    const results = await pipeline.exec().catch((error: unknown) => sent.map(() => [error, null] as [unknown, unknown]));
    const current = Math.floor(now / 1000);
    sent.forEach(({ window, count }, i) => {
      window.inFlight -= count;
      const [error, total] = results?.[i * 2] ?? [new Error("no reply"), null];
      // Not stored: sent again with the next flush while its second lasts (a past second no longer matters).
      if (error) window.unflushed += window.second === current ? count : 0;
      // Every instance's flushed count of this second, ours included (our unflushed ones are not in it yet).
      else window.shared = Math.max(window.shared, Number(total));
    });
    if (sent.some(({ window }) => window.unflushed > 0) && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs * 10);
      this.timer.unref?.();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private sweep(second: number): void {
    this.lastSweep = second * 1000;
    for (const [id, window] of this.windows) if (window.second < second && window.inFlight === 0) this.windows.delete(id);
  }
}
/** Whole seconds until the window of `second` ends, at least 1 (a client waiting 0 s would retry at once). */
function resetSeconds(second: number, now: number): number {
  return Math.max(1, Math.ceil(((second + 1) * 1000 - now) / 1000));
}

type Window = { second: number; shared: number; inFlight: number; unflushed: number; known: boolean; ready: Promise<unknown> | null };

/**
 * The guard's two limits:
 * - requests per workspace per second (the workspace's own number, default
 *   1,000), counted by WorkspaceRequestLimiter;
 * - failed authentications per client address (20 a minute), then
 *   TOO_MANY_ATTEMPTS, with rate-limiter-flexible: in Redis with REDIS_URL,
 *   else in the database (rare writes, shared by every instance). A request
 *   without a key counts as one: it is the only limit anonymous requests meet.
 *
 * Without REDIS_URL the request counter is per process: exact for the embedded
 * single process, per instance otherwise (set REDIS_URL when running several).
 */
export class ApiRateLimits {
  // Addresses known to be over the failure limit, so their requests stop before any I/O.
  // Swept of ended blocks now and then: a spray from many addresses must not grow it for good.
  private readonly blockedUntil = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    readonly requests: WorkspaceRequestLimiter,
    private readonly failures: RateLimiterAbstract,
  ) {}

  static create(options: { redis?: Redis | null; db?: Db | null }): ApiRateLimits {
    const failureOpts = { keyPrefix: "api_fail", ...FAILED_AUTH_LIMIT };
    const requests = new WorkspaceRequestLimiter(options.redis ?? null);
    if (options.redis) return new ApiRateLimits(requests, new RateLimiterRedis({ storeClient: options.redis, ...failureOpts }));
    const failures = options.db
      ? new RateLimiterDrizzle({ storeClient: options.db, schema: rateLimits, clearExpiredByTimeout: false, ...failureOpts })
      : new RateLimiterMemory(failureOpts);
    return new ApiRateLimits(requests, failures);
  }

  /** Counts one request of the workspace; refuses past `perSecond`. */
  request(workspaceId: number, perSecond: number, now = Date.now()): RequestDecision | Promise<RequestDecision> {
    return this.requests.take(workspaceId, perSecond, now);
  }

  /** The workspace's standing without counting a request (see WorkspaceRequestLimiter.peek). */
  standing(workspaceId: number, perSecond: number, now = Date.now()): RateState {
    return this.requests.peek(workspaceId, perSecond, now);
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

  /** Addresses held as blocked in this process (tests). */
  get blockedAddresses(): number {
    return this.blockedUntil.size;
  }

  /**
   * Counts a failed authentication (a missing, unknown or malformed key, a bad
   * signature); returns the wait once the address is over the limit.
   */
  async failure(address: string | null, now = Date.now()): Promise<RateDecision> {
    if (!address) return { ok: true };
    const res = await this.failures.penalty(address, 1);
    if (res.consumedPoints <= FAILED_AUTH_LIMIT.points) return { ok: true };
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    if (now - this.lastSweep > FAILED_AUTH_LIMIT.duration * 1000) this.sweep(now);
    this.blockedUntil.set(address, now + retryAfterSeconds * 1000);
    return { ok: false, retryAfterSeconds };
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [address, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(address);
  }
}
