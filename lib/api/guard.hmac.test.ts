/**
 * HMAC request signing (docs/api-v1.md §1): `METHOD|path|timestamp|body`, keyed with
 * the key's signing secret, within 300 s of server time, each signature once —
 * also across instances, through the database or Redis.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as pricingRoute from "@/app/api/v1/user/pricing/route";
import { openDatabase } from "@/db/client";
import { signatureReplays } from "@/db/schema";
import { rollKey } from "@/lib/keys/service";
import { contextFor } from "@/lib/workspaces/context";
import { callApi, expectApiError, makeKey, randomAddress, setupApi, signedHeaders, teardownApi, through, type Handler } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import { DatabaseReplayStore, ProcessReplayStore, REPLAY_WINDOW_SECONDS, RedisReplayStore, type ReplayStore } from "./replay-store";
import { createApiRuntime, type ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;

beforeAll(async () => ({ t, runtime } = await setupApi()));
afterAll(() => teardownApi({ t, runtime }));

async function hmacKey() {
  const made = await makeKey(t, { hmac: true });
  expect(made.signingSecret).toMatch(/^sksig_/);
  return { id: made.key.id, secret: made.secret, signing: made.signingSecret! };
}

const now = () => Math.floor(Date.now() / 1000);

/** One request from its own address (failed signatures count against the address). */
function send(handler: Handler, o: { method?: string; path: string; key: string; body?: string; headers?: Record<string, string> }) {
  return callApi(handler, { ...o, address: randomAddress() });
}

describe("signed requests", () => {
  it("accepts a correctly signed GET", async () => {
    const k = await hmacKey();
    const res = await send(balanceRoute.GET, {
      path: "/api/v1/user/balance",
      key: k.secret,
      headers: signedHeaders(k.signing, "GET", "/api/v1/user/balance"),
    });
    expect(res.status).toBe(200);
  });

  it("accepts a correctly signed POST with a body", async () => {
    const k = await hmacKey();
    const body = JSON.stringify({ name: "signed", permissions: ["sms.send"] });
    const res = await send(keysRoute.POST, {
      method: "POST",
      path: "/api/v1/keys",
      key: k.secret,
      body,
      headers: signedHeaders(k.signing, "POST", "/api/v1/keys", body),
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe("signed");
  });

  it("requires both X-Timestamp and X-Signature: SIGNATURE_REQUIRED", async () => {
    const k = await hmacKey();
    const full = signedHeaders(k.signing, "GET", "/api/v1/user/balance");
    const partial: Array<Record<string, string>> = [{}, { "x-timestamp": full["x-timestamp"] }, { "x-signature": full["x-signature"] }];
    for (const headers of partial) {
      expectApiError(await send(balanceRoute.GET, { path: "/api/v1/user/balance", key: k.secret, headers }), 401, "SIGNATURE_REQUIRED");
    }
  });

  it("refuses a signature made with another secret: INVALID_SIGNATURE", async () => {
    const k = await hmacKey();
    const other = await hmacKey();
    const res = await send(balanceRoute.GET, {
      path: "/api/v1/user/balance",
      key: k.secret,
      headers: signedHeaders(other.signing, "GET", "/api/v1/user/balance"),
    });
    expectApiError(res, 401, "INVALID_SIGNATURE");
    expect(res.body.description).toMatch(/does not match/);
  });

  it("refuses a body changed after signing", async () => {
    const k = await hmacKey();
    const signedBody = JSON.stringify({ name: "a", permissions: ["sms.send"] });
    const sentBody = JSON.stringify({ name: "a", permissions: ["*"] });
    const res = await send(keysRoute.POST, {
      method: "POST",
      path: "/api/v1/keys",
      key: k.secret,
      body: sentBody,
      headers: signedHeaders(k.signing, "POST", "/api/v1/keys", signedBody),
    });
    expectApiError(res, 401, "INVALID_SIGNATURE");
  });

  it("refuses a method changed after signing (signed as GET, sent as POST)", async () => {
    const k = await hmacKey();
    const res = await send(pricingRoute.POST, {
      method: "POST",
      path: "/api/v1/user/pricing",
      key: k.secret,
      headers: signedHeaders(k.signing, "GET", "/api/v1/user/pricing"),
    });
    expectApiError(res, 401, "INVALID_SIGNATURE");
    // The same signature on the method it was made for passes.
    const ok = await send(pricingRoute.GET, {
      path: "/api/v1/user/pricing",
      key: k.secret,
      headers: signedHeaders(k.signing, "GET", "/api/v1/user/pricing"),
    });
    expect(ok.status).toBe(200);
  });

  it("reads the body of an endpoint that takes none only for the signature: bytes that are not UTF-8 are INVALID_SIGNATURE, never INVALID_BODY", async () => {
    const k = await hmacKey();
    const body = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    const latin1 = Buffer.from(body).toString("latin1");
    const request = new NextRequest("http://localhost/api/v1/user/pricing", {
      method: "POST",
      body,
      headers: {
        "x-api-key": k.secret,
        "x-portal-client-address": randomAddress(),
        ...signedHeaders(k.signing, "POST", "/api/v1/user/pricing", latin1),
      },
    });
    const res = await pricingRoute.POST(request);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error_code: "INVALID_SIGNATURE" });
  });

  it("refuses a path changed after signing", async () => {
    const k = await hmacKey();
    const res = await send(pricingRoute.GET, {
      path: "/api/v1/user/pricing",
      key: k.secret,
      headers: signedHeaders(k.signing, "GET", "/api/v1/user/balance"),
    });
    expectApiError(res, 401, "INVALID_SIGNATURE");
  });

  it("signs the path only: a query string added after signing still verifies", async () => {
    const k = await hmacKey();
    const headers = signedHeaders(k.signing, "GET", "/api/v1/keys");
    const res = await send(keysRoute.GET, { path: "/api/v1/keys?limit=5&page=1", key: k.secret, headers });
    expect(res.status).toBe(200);
    expect(res.body.limit).toBe(5);
  });

  // The clock is frozen (only Date is faked), so the boundaries are exact whatever the machine's speed.
  it("refuses timestamps 301 s old or 301 s ahead, saying so; accepts exactly 300 s", async () => {
    const k = await hmacKey();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-22T12:00:00.500Z") });
    try {
      const t0 = Math.floor(Date.now() / 1000);
      for (const timestamp of [t0 - 301, t0 + 301, t0 - 3600]) {
        const res = await send(balanceRoute.GET, {
          path: "/api/v1/user/balance",
          key: k.secret,
          headers: signedHeaders(k.signing, "GET", "/api/v1/user/balance", "", timestamp),
        });
        expectApiError(res, 401, "INVALID_SIGNATURE");
        expect(res.body.description).toContain("300 s");
      }
      for (const timestamp of [t0 - 300, t0 + 300]) {
        const ok = await send(balanceRoute.GET, {
          path: "/api/v1/user/balance",
          key: k.secret,
          headers: signedHeaders(k.signing, "GET", "/api/v1/user/balance", "", timestamp),
        });
        expect(ok.status).toBe(200);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a malformed timestamp or signature", async () => {
    const k = await hmacKey();
    const good = signedHeaders(k.signing, "GET", "/api/v1/user/balance");
    const cases = [
      { "x-timestamp": "yesterday", "x-signature": good["x-signature"] },
      { "x-timestamp": `${now()}.5`, "x-signature": good["x-signature"] },
      { "x-timestamp": good["x-timestamp"], "x-signature": "zz" + good["x-signature"].slice(2) },
      { "x-timestamp": good["x-timestamp"], "x-signature": good["x-signature"].slice(0, 63) },
    ];
    for (const headers of cases) {
      expectApiError(await send(balanceRoute.GET, { path: "/api/v1/user/balance", key: k.secret, headers }), 401, "INVALID_SIGNATURE");
    }
  });

  it("accepts an upper-case hex signature (compared as hex)", async () => {
    const k = await hmacKey();
    const headers = signedHeaders(k.signing, "GET", "/api/v1/user/balance");
    headers["x-signature"] = headers["x-signature"].toUpperCase();
    expect((await send(balanceRoute.GET, { path: "/api/v1/user/balance", key: k.secret, headers })).status).toBe(200);
  });

  it("accepts each signature once: the same signature again is refused as a replay", async () => {
    const k = await hmacKey();
    const body = JSON.stringify({ name: "once", permissions: ["sms.send"] });
    const headers = signedHeaders(k.signing, "POST", "/api/v1/keys", body);
    const first = await send(keysRoute.POST, { method: "POST", path: "/api/v1/keys", key: k.secret, body, headers });
    expect(first.status).toBe(201);
    const again = await send(keysRoute.POST, { method: "POST", path: "/api/v1/keys", key: k.secret, body, headers });
    expectApiError(again, 401, "INVALID_SIGNATURE");
    expect(again.body.description).toMatch(/replay/i);
  });

  it("does not spend a signature on a request that fails it (a wrong key's attempt cannot block the real one)", async () => {
    const k = await hmacKey();
    const other = await hmacKey();
    const headers = signedHeaders(k.signing, "GET", "/api/v1/user/balance");
    expectApiError(await send(balanceRoute.GET, { path: "/api/v1/user/balance", key: other.secret, headers }), 401, "INVALID_SIGNATURE");
    expect((await send(balanceRoute.GET, { path: "/api/v1/user/balance", key: k.secret, headers })).status).toBe(200);
  });
});

describe("during a roll's grace", () => {
  it("pairs each secret with its own signing secret: old with old, new with new", async () => {
    const k = await hmacKey();
    const ctx = await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
    const rolled = await rollKey(t.db, ctx, k.id, 3600);
    expect(rolled.signingSecret).toMatch(/^sksig_/);
    expect(rolled.signingSecret).not.toBe(k.signing);
    const call = (secret: string, signing: string) =>
      send(balanceRoute.GET, { path: "/api/v1/user/balance", key: secret, headers: signedHeaders(signing, "GET", "/api/v1/user/balance") });
    expect((await call(k.secret, k.signing)).status).toBe(200);
    expectApiError(await call(k.secret, rolled.signingSecret!), 401, "INVALID_SIGNATURE");
    expect((await call(rolled.secret, rolled.signingSecret!)).status).toBe(200);
    expectApiError(await call(rolled.secret, k.signing), 401, "INVALID_SIGNATURE");
  });
});

describe("replay stores", () => {
  async function behavesAsReplayStore(store: ReplayStore) {
    const keyId = `key_${randomBytes(8).toString("hex")}`;
    const signature = randomBytes(32).toString("hex");
    expect(await store.firstUse(keyId, signature)).toBe(true);
    expect(await store.firstUse(keyId, signature)).toBe(false);
    expect(await store.firstUse(keyId, signature)).toBe(false);
    // The same signature under another key is another request.
    expect(await store.firstUse(`${keyId}x`, signature)).toBe(true);
    // Concurrent first uses: exactly one wins.
    const racing = randomBytes(32).toString("hex");
    const results = await Promise.all(Array.from({ length: 8 }, () => store.firstUse(keyId, racing)));
    expect(results.filter(Boolean)).toHaveLength(1);
  }

  it("DatabaseReplayStore accepts a signature once per key", async () => {
    await behavesAsReplayStore(new DatabaseReplayStore(t.db));
  });

  it("DatabaseReplayStore accepts a signature again once its remembered entry has expired", async () => {
    const store = new DatabaseReplayStore(t.db);
    const keyId = `key_${randomBytes(8).toString("hex")}`;
    const signature = randomBytes(32).toString("hex");
    await t.db.insert(signatureReplays).values({ keyId, signature, expiresAt: new Date(Date.now() - 1000) });
    expect(await store.firstUse(keyId, signature)).toBe(true);
    expect(await store.firstUse(keyId, signature)).toBe(false);
  });

  it("ProcessReplayStore (embedded database) accepts a signature once per key", async () => {
    await behavesAsReplayStore(await ProcessReplayStore.open(t.db));
  });

  it("ProcessReplayStore remembers across a restart: what it accepted is written off the request path and read back on open", async () => {
    const before = await ProcessReplayStore.open(t.db, { flushMs: 60_000 });
    const keyId = `key_${randomBytes(8).toString("hex")}`;
    const signature = randomBytes(32).toString("hex");
    expect(await before.firstUse(keyId, signature)).toBe(true);
    // Nothing written yet on the request path…
    expect(await t.db.select().from(signatureReplays).where(eq(signatureReplays.signature, signature))).toEqual([]);
    await before.flush(); // …until the flush (timer or shutdown)
    const after = await ProcessReplayStore.open(t.db);
    expect(await after.firstUse(keyId, signature)).toBe(false);
    expect(await after.firstUse(keyId, randomBytes(32).toString("hex"))).toBe(true);
  });

  it("ProcessReplayStore accepts a signature again once its remembered entry has expired, and does not load expired entries", async () => {
    const keyId = `key_${randomBytes(8).toString("hex")}`;
    const [stale, fresh] = [randomBytes(32).toString("hex"), randomBytes(32).toString("hex")];
    await t.db.insert(signatureReplays).values({ keyId, signature: stale, expiresAt: new Date(Date.now() - 1000) });
    const store = await ProcessReplayStore.open(t.db);
    expect(await store.firstUse(keyId, stale)).toBe(true);
    const now = Date.now();
    expect(await store.firstUse(keyId, fresh, now)).toBe(true);
    expect(await store.firstUse(keyId, fresh, now + (REPLAY_WINDOW_SECONDS - 1) * 1000)).toBe(false);
    expect(await store.firstUse(keyId, fresh, now + (REPLAY_WINDOW_SECONDS + 1) * 1000)).toBe(true);
    await store.flush();
  });

  // Needs a Redis server (CI sets REDIS_URL).
  it.skipIf(!process.env.REDIS_URL)("RedisReplayStore accepts a signature once per key", async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      await behavesAsReplayStore(new RedisReplayStore(redis));
    } finally {
      redis.disconnect();
    }
  });
});

describe("across instances", () => {
  /** Two instances configured alike (A and B), each with its own database handle where possible. */
  async function twoInstances(options: { redisUrl?: string }) {
    const handles = t.url
      ? [await openDatabase({ url: t.url, max: 2 }), await openDatabase({ url: t.url, max: 2 })]
      : [t.database, t.database];
    const [a, b] = [await createApiRuntime(handles[0], options), await createApiRuntime(handles[1], options)];
    return {
      a,
      b,
      async close() {
        await a.close();
        await b.close();
        for (const h of handles) if (h !== t.database) await h.close();
      },
    };
  }

  async function replayThroughOtherInstanceRefused(a: ApiRuntime, b: ApiRuntime) {
    const k = await hmacKey();
    const headers = signedHeaders(k.signing, "GET", "/api/v1/user/balance");
    const call = () => send(balanceRoute.GET, { path: "/api/v1/user/balance", key: k.secret, headers });
    expect((await through(a, runtime, call)).status).toBe(200);
    const replay = await through(b, runtime, call);
    expectApiError(replay, 401, "INVALID_SIGNATURE");
    expect(replay.body.description).toMatch(/replay/i);
  }

  // Needs two connection pools to one Postgres database (PGlite is a single in-process instance).
  it.skipIf(!process.env.DATABASE_URL)("refuses a replay through another instance sharing the database (no Redis)", async () => {
    const instances = await twoInstances({});
    try {
      await replayThroughOtherInstanceRefused(instances.a, instances.b);
    } finally {
      await instances.close();
    }
  });

  // Needs a Redis server (CI sets REDIS_URL).
  it.skipIf(!process.env.REDIS_URL)("refuses a replay through another instance sharing Redis", async () => {
    const instances = await twoInstances({ redisUrl: process.env.REDIS_URL });
    try {
      await replayThroughOtherInstanceRefused(instances.a, instances.b);
    } finally {
      await instances.close();
    }
  });
});
