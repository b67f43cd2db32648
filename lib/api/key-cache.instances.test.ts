/**
 * The key cache across server instances: a key change made on one instance
 * reaches the others through Postgres LISTEN/NOTIFY, so a revoked key is refused
 * everywhere within a second even though each instance caches keys in memory.
 *
 * Needs two connection pools to one Postgres database (PGlite is a single
 * in-process instance): skipped without DATABASE_URL; CI sets it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import { openDatabase, type Database } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { revokeKey, rollKey, setKeyEnabled } from "@/lib/keys/service";
import type { KeyCache } from "@/lib/keys/verify";
import { contextFor } from "@/lib/workspaces/context";
import { callApi, expectApiError, makeKey, randomAddress, startRuntime, through } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { createApiRuntime, type ApiRuntime } from "./runtime";

const hasPostgres = Boolean(process.env.DATABASE_URL);

let t: TestDatabase;
/** Instance A: this process's runtime, on the test database's own handle. */
let a: ApiRuntime;
/** Instance B: its own connection pool and LISTEN connection, and a cache TTL far beyond the test. */
let b: ApiRuntime;
let bDatabase: Database;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  if (!hasPostgres) return;
  bDatabase = await openDatabase({ url: t.url!, max: 2 });
  b = await createApiRuntime(bDatabase, { redisUrl: process.env.REDIS_URL, cacheTtlMs: 60_000 });
  // B stands for another process: changes made here must reach it by NOTIFY only, not by the
  // in-process shortcut (invalidateKeyLocally) that every cache of this process is registered for.
  (globalThis as unknown as { __keyCaches?: Set<KeyCache> }).__keyCaches?.delete(b.keys.cache);
});

afterAll(async () => {
  await b?.close();
  await bDatabase?.close();
  await a?.close();
  await t?.close();
});

const ownerCtx = () => contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
const balanceThroughB = (secret: string) =>
  through(b, a, () => callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key: secret, address: randomAddress() }));

/** Polls until `refused()` holds; returns the milliseconds it took, or fails after `limitMs` (plus one more look). */
async function msUntil(refused: () => Promise<boolean>, since: number, limitMs = 1000): Promise<number> {
  for (;;) {
    if (await refused()) return Date.now() - since;
    if (Date.now() - since > limitMs) throw new Error(`still accepted ${Date.now() - since} ms after the change`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.skipIf(!hasPostgres)("across instances", () => {
  it("serves keys from B's cache: a change made without a notification is not seen (the control)", async () => {
    const { key, secret } = await makeKey(t);
    expect((await b.keys.find(secret))?.enabled).toBe(true);
    // Straight SQL, no NOTIFY: B keeps its cached copy (TTL 60 s).
    await t.db.update(apiKeys).set({ enabled: false }).where(eq(apiKeys.id, key.id));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await b.keys.find(secret))?.enabled).toBe(true);
  });

  it("refuses a revoked key on another instance within 1 s", async () => {
    const { key, secret } = await makeKey(t);
    expect((await balanceThroughB(secret)).status).toBe(200);
    expect((await b.keys.find(secret))?.revokedAt).toBeNull(); // warm in B's cache

    const revokedAt = Date.now();
    await revokeKey(t.db, await ownerCtx(), key.id);
    const ms = await msUntil(async () => (await b.keys.find(secret))?.revokedAt != null, revokedAt);
    expect(ms).toBeLessThan(1000);
    expectApiError(await balanceThroughB(secret), 401, "API_KEY_INACTIVE");
  });

  it("refuses a disabled key on another instance within 1 s, and accepts it again once re-enabled", async () => {
    const { key, secret } = await makeKey(t);
    expect((await balanceThroughB(secret)).status).toBe(200);
    const since = Date.now();
    await setKeyEnabled(t.db, await ownerCtx(), key.id, false);
    expect(await msUntil(async () => (await balanceThroughB(secret)).status === 401, since)).toBeLessThan(1000);
    const again = Date.now();
    await setKeyEnabled(t.db, await ownerCtx(), key.id, true);
    expect(await msUntil(async () => (await balanceThroughB(secret)).status === 200, again)).toBeLessThan(1000);
  });

  it("refuses the old secret on another instance within 1 s of a roll without grace, and knows the new one at once", async () => {
    const { key, secret } = await makeKey(t);
    expect((await balanceThroughB(secret)).status).toBe(200);
    const since = Date.now();
    const rolled = await rollKey(t.db, await ownerCtx(), key.id, 0);
    expect(await msUntil(async () => (await b.keys.find(secret)) === null, since)).toBeLessThan(1000);
    expect((await balanceThroughB(rolled.secret)).status).toBe(200);
  });

  it("refuses, on another instance within 1 s, the keys a revoked key had created (their caches are dropped too)", async () => {
    const parent = await makeKey(t, { name: "parent on A", permissions: ["keys.write", "balance.read"] });
    const res = await callApi(keysRoute.POST, {
      method: "POST",
      path: "/api/v1/keys",
      key: parent.secret,
      body: { name: "child", permissions: ["balance.read"] },
      address: randomAddress(),
    });
    expect(res.status).toBe(201);
    const child: string = res.body.secret;
    expect((await balanceThroughB(child)).status).toBe(200);
    expect((await b.keys.find(child))?.revokedAt).toBeNull(); // warm in B's cache

    const since = Date.now();
    await revokeKey(t.db, await ownerCtx(), parent.key.id);
    expect(await msUntil(async () => (await b.keys.find(child))?.revokedAt != null, since)).toBeLessThan(1000);
    expectApiError(await balanceThroughB(child), 401, "API_KEY_INACTIVE");
  });
});
