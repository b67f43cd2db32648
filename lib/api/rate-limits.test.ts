/**
 * The per-workspace request limit: decided in process, exact for one process,
 * shared between instances through Redis once each has flushed its counts.
 */
import { randomInt } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiRateLimits, FAILED_AUTH_LIMIT, WorkspaceRequestLimiter, type RateDecision, type RequestDecision } from "./rate-limits";

// A fixed second, so no test depends on the clock; keys live long enough not to expire mid-test.
const SECOND = 1_900_000_000;
const at = (ms = 0) => SECOND * 1000 + ms;
const options = { flushMs: 60_000, keyTtlMs: 60_000, syncTimeoutMs: 60_000 };
const workspace = () => 2_000_000_000 + randomInt(100_000_000);

/** `n` requests one after the other (each sees the counts of those before it). */
async function takeMany(limiter: WorkspaceRequestLimiter, workspaceId: number, n: number, perSecond: number, now: number) {
  const decisions: RequestDecision[] = [];
  for (let i = 0; i < n; i++) decisions.push(await limiter.take(workspaceId, perSecond, now));
  return decisions;
}

describe("in one process", () => {
  it("allows exactly the workspace's rate within a second and refuses the rest with the wait until the next second", async () => {
    const limiter = new WorkspaceRequestLimiter(null, options);
    const ws = workspace();
    const decisions = await takeMany(limiter, ws, 8, 5, at(250));
    expect(decisions.filter((d) => d.ok)).toHaveLength(5);
    const refused = { ok: false, retryAfterSeconds: 1, limit: 5, remaining: 0, resetSeconds: 1 };
    expect(decisions.slice(5)).toEqual([refused, refused, refused]);
    // Each allowed request reports what is left after it.
    expect(decisions.slice(0, 5).map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0]);
    // The next second starts afresh; other workspaces were never affected.
    expect((await limiter.take(ws, 5, at(1000))).ok).toBe(true);
    expect((await takeMany(limiter, workspace(), 5, 5, at(250))).every((d) => d.ok)).toBe(true);
  });

  it("peeks at a workspace's standing without counting a request", async () => {
    const limiter = new WorkspaceRequestLimiter(null, options);
    const ws = workspace();
    expect(limiter.peek(ws, 5, at(250))).toEqual({ limit: 5, remaining: 5, resetSeconds: 1 });
    await takeMany(limiter, ws, 2, 5, at(250));
    expect(limiter.peek(ws, 5, at(300))).toEqual({ limit: 5, remaining: 3, resetSeconds: 1 });
    expect(limiter.peek(ws, 5, at(300))).toEqual({ limit: 5, remaining: 3, resetSeconds: 1 });
    // A new second starts full.
    expect(limiter.peek(ws, 5, at(1000))).toEqual({ limit: 5, remaining: 5, resetSeconds: 1 });
  });

  it("applies a lowered limit at once, counting what the second already used", async () => {
    const limiter = new WorkspaceRequestLimiter(null, options);
    const ws = workspace();
    expect((await takeMany(limiter, ws, 3, 10, at())).every((d) => d.ok)).toBe(true);
    expect((await limiter.take(ws, 3, at())).ok).toBe(false);
  });
});

describe.skipIf(!process.env.REDIS_URL)("between instances, through Redis", () => {
  let redis: Redis;
  beforeAll(() => void (redis = new Redis(process.env.REDIS_URL!)));
  afterAll(() => redis.disconnect());

  it("starts a second by reading what the other instances used: B's very first request is refused when A used the budget", async () => {
    const [a, b] = [new WorkspaceRequestLimiter(redis, options), new WorkspaceRequestLimiter(redis, options)];
    const ws = workspace();
    expect((await takeMany(a, ws, 5, 5, at())).every((d) => d.ok)).toBe(true);
    await a.flush(at());
    expect(await b.take(ws, 5, at(1))).toEqual({ ok: false, retryAfterSeconds: 1, limit: 5, remaining: 0, resetSeconds: 1 });
  });

  it("shares a second's budget between instances, within what one flush interval can hide", async () => {
    const [a, b] = [new WorkspaceRequestLimiter(redis, options), new WorkspaceRequestLimiter(redis, options)];
    const ws = workspace();
    expect((await takeMany(a, ws, 3, 5, at())).every((d) => d.ok)).toBe(true);
    await a.flush(at());
    expect((await takeMany(b, ws, 3, 5, at())).map((d) => d.ok)).toEqual([true, true, false]);
    await b.flush(at());
    expect(await redis.get(`api_ws:${ws}:${SECOND}`)).toBe("5");
    // A has not flushed since B's requests, so it still believes 3 of 5 used and accepts one more
    // (the documented overshoot, bounded by one flush interval); its flush then brings B's counts.
    expect((await a.take(ws, 5, at())).ok).toBe(true);
    await a.flush(at());
    expect((await a.take(ws, 5, at())).ok).toBe(false);
    expect(await redis.get(`api_ws:${ws}:${SECOND}`)).toBe("6");
  });

  it("sends counts Redis did not store again with the next flush, while their second lasts", async () => {
    const limiter = new WorkspaceRequestLimiter(redis, options);
    const ws = workspace();
    const key = `api_ws:${ws}:${SECOND}`;
    await redis.hset(key, "not", "a counter"); // INCRBY now fails (WRONGTYPE)
    expect((await takeMany(limiter, ws, 2, 10, at())).every((d) => d.ok)).toBe(true);
    await limiter.flush(at(10));
    await redis.del(key);
    await limiter.flush(at(60));
    expect(await redis.get(key)).toBe("2");
    // Counts of a second that has passed are not worth sending again.
    const late = workspace();
    const lateKey = `api_ws:${late}:${SECOND}`;
    await redis.hset(lateKey, "not", "a counter");
    await limiter.take(late, 10, at(900));
    await limiter.flush(at(1100));
    await redis.del(lateKey);
    await limiter.flush(at(1200));
    limiter.stop();
    expect(await redis.get(lateKey)).toBeNull();
  });
});

describe("failed authentications per address, in process", () => {
  it("forgets blocks that have ended, so a spray from many addresses does not grow memory for good", async () => {
    const limits = ApiRateLimits.create({});
    const blockAt = async (address: string, now: number) => {
      let decision: RateDecision = { ok: true };
      for (let i = 0; i <= FAILED_AUTH_LIMIT.points; i++) decision = await limits.failure(address, now);
      return decision;
    };
    const start = Date.now();
    for (const address of ["2001:db8::a", "2001:db8::b", "2001:db8::c"]) expect((await blockAt(address, start)).ok).toBe(false);
    expect(limits.blockedAddresses).toBe(3);
    // Their blocks (at most the limit's duration) are over when the next address is blocked.
    const later = start + (FAILED_AUTH_LIMIT.duration + 1) * 1000;
    expect((await blockAt("2001:db8::d", later)).ok).toBe(false);
    expect(limits.blockedAddresses).toBe(1);
    expect(limits.blockedFor("2001:db8::d", later)).toBeGreaterThan(0);
  });
});
