/**
 * The guard's two limits (docs/api-v1.md §2): requests per workspace per second
 * (RATE_LIMIT_EXCEEDED) and failed authentications per client address
 * (TOO_MANY_ATTEMPTS), both with Retry-After; shared across instances.
 */
import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import { openDatabase } from "@/db/client";
import { apiRequests, workspaces } from "@/db/schema";
import { generateKey } from "@/lib/keys/format";
import { invalidateKeyLocally } from "@/lib/keys/verify";
import { callApi, expectApiError, makeKey, randomAddress, setupApi, teardownApi, through } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import { FAILED_AUTH_LIMIT } from "./rate-limits";
import { createApiRuntime, type ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;

beforeAll(async () => ({ t, runtime } = await setupApi()));
afterAll(() => teardownApi({ t, runtime }));

type Reply = Awaited<ReturnType<typeof callApi>>;
const balance = (key: string, address = randomAddress()) => callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key, address });

/**
 * A workspace of Acme with an id no other test database uses: with Redis, the
 * per-workspace counter is keyed by workspace id and shared by every test file.
 */
async function isolatedWorkspace(): Promise<number> {
  const id = 1_000_000 + randomInt(1_000_000_000);
  await t.db.execute(
    sql`insert into workspaces (id, organization_id, name, balance) overriding system value values (${id}, ${t.seed.organizationId}, ${`Limits ${id}`}, 10)`,
  );
  return id;
}

async function setRateLimit(workspaceId: number, keyId: string, perSecond: number) {
  await t.db.update(workspaces).set({ rateLimitPerSecond: perSecond }).where(eq(workspaces.id, workspaceId));
  invalidateKeyLocally(keyId);
}

/**
 * Fires `burst` until one reply is a 429 (at most 3 tries). A burst normally lands
 * within one second; only a machine stalled for a whole second could split it.
 */
async function untilLimited(burst: () => Promise<Reply[]>): Promise<Reply[]> {
  let replies: Reply[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    replies = await burst();
    if (replies.some((r) => r.status === 429)) break;
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }
  return replies;
}

describe("requests per workspace", () => {
  it("refuses requests over the workspace's rate with RATE_LIMIT_EXCEEDED and Retry-After", async () => {
    const workspaceId = await isolatedWorkspace();
    const { key, secret } = await makeKey(t, {}, workspaceId);
    expect((await balance(secret)).status).toBe(200);
    await setRateLimit(workspaceId, key.id, 3);

    const replies = await untilLimited(() => Promise.all(Array.from({ length: 10 }, () => balance(secret))));
    const refused = replies.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expectApiError(r, 429, "RATE_LIMIT_EXCEEDED");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
  });

  it("counts each workspace on its own: another workspace's burst leaves it untouched", async () => {
    const busy = await isolatedWorkspace();
    const quiet = await isolatedWorkspace();
    const busyKey = await makeKey(t, {}, busy);
    const quietKey = await makeKey(t, {}, quiet);
    await setRateLimit(busy, busyKey.key.id, 2);
    await setRateLimit(quiet, quietKey.key.id, 2);
    const replies = await untilLimited(() => Promise.all(Array.from({ length: 6 }, () => balance(busyKey.secret))));
    expect(replies.some((r) => r.status === 429)).toBe(true);
    expect((await balance(quietKey.secret)).status).toBe(200);
  });

  // Needs a Redis server (CI sets REDIS_URL): without it the request counter is per process by design.
  it.skipIf(!process.env.REDIS_URL)("shares the workspace's counter between instances through Redis", async () => {
    const workspaceId = await isolatedWorkspace();
    const { key, secret } = await makeKey(t, {}, workspaceId);
    const database = t.url ? await openDatabase({ url: t.url, max: 2 }) : t.database;
    const a = await createApiRuntime(t.database, { redisUrl: process.env.REDIS_URL });
    const b = await createApiRuntime(database, { redisUrl: process.env.REDIS_URL });
    try {
      await setRateLimit(workspaceId, key.id, 5);
      // 3 through A and 3 through B: within the limit on each instance alone, over it together
      // once A has added its counts to Redis (every 50 ms; here at once).
      const replies = await untilLimited(async () => {
        const out: Reply[] = [];
        for (const instance of [a, a, a]) out.push(await through(instance, runtime, () => balance(secret)));
        await a.limits.requests.flush();
        for (const instance of [b, b, b]) out.push(await through(instance, runtime, () => balance(secret)));
        return out;
      });
      expect(replies.some((r) => r.status === 429 && r.body.error_code === "RATE_LIMIT_EXCEEDED")).toBe(true);
      expect(b.keys.cache.size).toBeGreaterThan(0); // the requests really went through B
    } finally {
      await a.close();
      await b.close();
      if (database !== t.database) await database.close();
    }
  });
});

describe('RateLimit-* headers (ours: docs/api-v1.md, "Rate-limit headers")', () => {
  const standing = (r: Reply) => ({
    limit: r.headers.get("ratelimit-limit"),
    remaining: r.headers.get("ratelimit-remaining"),
    reset: r.headers.get("ratelimit-reset"),
    policy: r.headers.get("ratelimit-policy"),
  });

  it("every answer to an authenticated caller carries the workspace's limit, what is left of it this second, and the reset", async () => {
    const workspaceId = await isolatedWorkspace();
    const { key, secret } = await makeKey(t, {}, workspaceId);
    await setRateLimit(workspaceId, key.id, 1000);
    const replies: Reply[] = [];
    for (let i = 0; i < 3; i++) replies.push(await balance(secret));
    for (const r of replies) {
      expect(r.status).toBe(200);
      expect(standing(r)).toMatchObject({ limit: "1000", policy: "1000;w=1" });
      expect(Number(r.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(1);
      expect(Number(r.headers.get("ratelimit-remaining"))).toBeLessThan(1000);
    }
    // Within one second each answer has one fewer left; across a second boundary the count starts again.
    const left = replies.map((r) => Number(r.headers.get("ratelimit-remaining")));
    const sameSecond = left.every((n, i) => i === 0 || n === left[i - 1] - 1);
    const restarted = left.some((n, i) => i > 0 && n > left[i - 1]);
    expect(sameSecond || restarted).toBe(true);
  });

  it("a 429 says Remaining 0 and carries Retry-After", async () => {
    const workspaceId = await isolatedWorkspace();
    const { key, secret } = await makeKey(t, {}, workspaceId);
    expect((await balance(secret)).status).toBe(200);
    await setRateLimit(workspaceId, key.id, 2);
    const replies = await untilLimited(() => Promise.all(Array.from({ length: 6 }, () => balance(secret))));
    const refused = replies.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(standing(r)).toMatchObject({ limit: "2", remaining: "0" });
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
  });

  it("a refusal after authentication (missing permission) shows the standing without using up the limit", async () => {
    const workspaceId = await isolatedWorkspace();
    const narrow = await makeKey(t, { permissions: ["sms.read"] }, workspaceId);
    await setRateLimit(workspaceId, narrow.key.id, 1000);
    const replies: Reply[] = [];
    for (let i = 0; i < 3; i++) replies.push(await balance(narrow.secret));
    for (const r of replies) {
      expectApiError(r, 403, "FORBIDDEN");
      expect(standing(r)).toMatchObject({ limit: "1000" });
    }
    // Not counted: nothing but these refusals ran in this workspace, so all of the limit is left.
    expect(replies.map((r) => r.headers.get("ratelimit-remaining"))).toEqual(["1000", "1000", "1000"]);
  });

  it("an unauthenticated answer (unknown key, wrong address) reveals nothing of any workspace's traffic", async () => {
    const { secret } = await makeKey(t, { allowedCidrs: ["203.0.113.0/24"] });
    const outside = await balance(secret, "198.51.100.7");
    expectApiError(outside, 401, "IP_NOT_ALLOWED");
    expect(outside.headers.get("ratelimit-limit")).toBeNull();
    const unknown = await balance(generateKey("live").secret);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("ratelimit-remaining")).toBeNull();
  });
});

describe("failed authentications per address", () => {
  const unknownKey = () => generateKey("live").secret;

  it(`refuses an address after ${FAILED_AUTH_LIMIT.points} failures with TOO_MANY_ATTEMPTS, even with a valid key; other addresses are unaffected`, async () => {
    const address = randomAddress();
    for (let i = 0; i < FAILED_AUTH_LIMIT.points; i++) expectApiError(await balance(unknownKey(), address), 401, "INVALID_API_KEY");

    const blocked = await balance(unknownKey(), address);
    expectApiError(blocked, 429, "TOO_MANY_ATTEMPTS");
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(FAILED_AUTH_LIMIT.duration);

    const { secret } = await makeKey(t);
    const validFromBlocked = await balance(secret, address);
    expectApiError(validFromBlocked, 429, "TOO_MANY_ATTEMPTS");
    expect(Number(validFromBlocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    const elsewhere = randomAddress();
    expect((await balance(secret, elsewhere)).status).toBe(200);
    expectApiError(await balance(unknownKey(), elsewhere), 401, "INVALID_API_KEY");
  });

  it(`limits requests without X-API-Key per address: after ${FAILED_AUTH_LIMIT.points}, TOO_MANY_ATTEMPTS with Retry-After`, async () => {
    const address = randomAddress();
    const anonymous = () => callApi(balanceRoute.GET, { path: "/api/v1/user/balance", address });
    for (let i = 0; i < FAILED_AUTH_LIMIT.points; i++) expectApiError(await anonymous(), 401, "UNAUTHORIZED");
    const blocked = await anonymous();
    expectApiError(blocked, 429, "TOO_MANY_ATTEMPTS");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Anonymous and keyed failures share the address's count; other addresses are unaffected.
    expectApiError(await callApi(balanceRoute.GET, { path: "/api/v1/user/balance", address: randomAddress() }), 401, "UNAUTHORIZED");
  });

  it("logs the request that crossed the limit, but not each further request of the blocked address", async () => {
    const address = randomAddress();
    for (let i = 0; i < FAILED_AUTH_LIMIT.points; i++) expectApiError(await balance(unknownKey(), address), 401, "INVALID_API_KEY");
    for (let i = 0; i < 10; i++) expectApiError(await balance(unknownKey(), address), 429, "TOO_MANY_ATTEMPTS");
    await runtime.requestLog.flush();
    const logged = await t.db
      .select({ status: apiRequests.status, errorCode: apiRequests.errorCode })
      .from(apiRequests)
      .where(eq(apiRequests.address, address));
    expect(logged.filter((r) => r.errorCode === "INVALID_API_KEY")).toHaveLength(FAILED_AUTH_LIMIT.points);
    expect(logged.filter((r) => r.errorCode === "TOO_MANY_ATTEMPTS")).toEqual([{ status: 429, errorCode: "TOO_MANY_ATTEMPTS" }]);
  });

  it("counts bad signatures as failed authentications too", async () => {
    const address = randomAddress();
    const { secret } = await makeKey(t, { hmac: true });
    const headers = { "x-timestamp": String(Math.floor(Date.now() / 1000)), "x-signature": "0".repeat(64) };
    for (let i = 0; i < FAILED_AUTH_LIMIT.points; i++) {
      const res = await callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key: secret, headers, address });
      expectApiError(res, 401, "INVALID_SIGNATURE");
    }
    const res = await callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key: secret, headers, address });
    expectApiError(res, 429, "TOO_MANY_ATTEMPTS");
  });

  it("does not count refusals of a known, valid secret (inactive, forbidden) as failed attempts", async () => {
    const address = randomAddress();
    const { secret } = await makeKey(t, { permissions: ["sms.read"] });
    for (let i = 0; i < FAILED_AUTH_LIMIT.points + 5; i++) expectApiError(await balance(secret, address), 403, "FORBIDDEN");
    expectApiError(await balance(unknownKey(), address), 401, "INVALID_API_KEY");
  });

  it("counts an address's failures across instances (shared database or Redis)", async () => {
    const address = randomAddress();
    const other = await createApiRuntime(t.database, { redisUrl: process.env.REDIS_URL });
    try {
      const half = FAILED_AUTH_LIMIT.points / 2;
      for (let i = 0; i < half; i++) expectApiError(await balance(unknownKey(), address), 401, "INVALID_API_KEY");
      for (let i = 0; i < half; i++) {
        expectApiError(await through(other, runtime, () => balance(unknownKey(), address)), 401, "INVALID_API_KEY");
      }
      expectApiError(await balance(unknownKey(), address), 429, "TOO_MANY_ATTEMPTS");
    } finally {
      await other.close();
    }
  });
});
