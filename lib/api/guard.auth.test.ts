/**
 * The guard's authentication, address and permission steps (docs/api-v1.md §1, §2),
 * through the real route handlers against a real database (Postgres when
 * DATABASE_URL is set, else PGlite; Redis for the limiters when REDIS_URL is set).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as paymentsRoute from "@/app/api/v1/user/payments/route";
import * as pricingRoute from "@/app/api/v1/user/pricing/route";
import { apiKeys, memberships, users } from "@/db/schema";
import { generateKey } from "@/lib/keys/format";
import { createKey, revokeKey, rollKey, setKeyEnabled } from "@/lib/keys/service";
import { invalidateKeyLocally } from "@/lib/keys/verify";
import { contextFor } from "@/lib/workspaces/context";
import { callApi, expectApiError, makeKey, randomAddress, setupApi, teardownApi } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;

beforeAll(async () => ({ t, runtime } = await setupApi()));
afterAll(() => teardownApi({ t, runtime }));

const ownerCtx = () => contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
const balance = (key: string | undefined, address: string | null = randomAddress(), headers?: Record<string, string>) =>
  callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key, address, headers });

/** Changes a key's row behind the service's back, then drops it from this process's cache (as a NOTIFY would). */
async function setKeyRow(id: string, values: Partial<typeof apiKeys.$inferInsert>) {
  await t.db.update(apiKeys).set(values).where(eq(apiKeys.id, id));
  invalidateKeyLocally(id);
}

describe("authentication", () => {
  it("answers UNAUTHORIZED when no X-API-Key header is sent", async () => {
    const res = await balance(undefined);
    expectApiError(res, 401, "UNAUTHORIZED");
  });

  it("accepts a valid key", async () => {
    const { secret } = await makeKey(t);
    const res = await balance(secret);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ balance: 250, currency: "EUR" });
  });

  it("gives a malformed, bad-checksum, truncated, wrong-prefix or unknown key one identical answer", async () => {
    const { secret } = await makeKey(t);
    // One character of the random part changed: the checksum no longer matches.
    const i = 12;
    const badChecksum = secret.slice(0, i) + (secret[i] === "A" ? "B" : "A") + secret.slice(i + 1);
    const presented = {
      malformed: "not-a-key",
      badChecksum,
      truncated: secret.slice(0, -1),
      wrongPrefix: "sk_live_" + secret.slice("sk_prod_".length),
      unknown: generateKey("live").secret,
      unknownTest: generateKey("test").secret,
    };
    const answers = [];
    for (const [kind, key] of Object.entries(presented)) {
      const res = await balance(key);
      expectApiError(res, 401, "INVALID_API_KEY");
      answers.push({ kind, status: res.status, body: res.body });
    }
    for (const a of answers) expect({ kind: a.kind, status: a.status, body: a.body }).toEqual({ ...answers[0], kind: a.kind });
  });

  it("refuses a disabled key with API_KEY_INACTIVE, and accepts it again once re-enabled", async () => {
    const { key, secret } = await makeKey(t);
    await setKeyEnabled(t.db, await ownerCtx(), key.id, false);
    expectApiError(await balance(secret), 401, "API_KEY_INACTIVE");
    await setKeyEnabled(t.db, await ownerCtx(), key.id, true);
    expect((await balance(secret)).status).toBe(200);
  });

  it("refuses a revoked key with API_KEY_INACTIVE", async () => {
    const { key, secret } = await makeKey(t);
    expect((await balance(secret)).status).toBe(200); // cached as valid first
    await revokeKey(t.db, await ownerCtx(), key.id);
    expectApiError(await balance(secret), 401, "API_KEY_INACTIVE");
  });

  it("refuses a key past its expiry with API_KEY_EXPIRED", async () => {
    const { key, secret } = await makeKey(t, { expiresAt: new Date(Date.now() + 3_600_000) });
    expect((await balance(secret)).status).toBe(200);
    await setKeyRow(key.id, { expiresAt: new Date(Date.now() - 1000) });
    expectApiError(await balance(secret), 401, "API_KEY_EXPIRED");
  });

  it("keeps the old secret working during a roll's grace, alongside the new one", async () => {
    const { key, secret: old } = await makeKey(t);
    const rolled = await rollKey(t.db, await ownerCtx(), key.id, 3600);
    expect(rolled.secret).not.toBe(old);
    expect((await balance(old)).status).toBe(200);
    expect((await balance(rolled.secret)).status).toBe(200);
  });

  it("refuses the old secret as an unknown key once the grace has ended; the new one keeps working", async () => {
    const { key, secret: old } = await makeKey(t);
    const rolled = await rollKey(t.db, await ownerCtx(), key.id, 3600);
    expect((await balance(old)).status).toBe(200);
    await setKeyRow(key.id, { previousExpiresAt: new Date(Date.now() - 1000) });
    expectApiError(await balance(old), 401, "INVALID_API_KEY");
    expect((await balance(rolled.secret)).status).toBe(200);
  });

  it("ends an earlier grace at once when a key is rolled again", async () => {
    const { key, secret: first } = await makeKey(t);
    const second = await rollKey(t.db, await ownerCtx(), key.id, 3600);
    expect((await balance(first)).status).toBe(200);
    const third = await rollKey(t.db, await ownerCtx(), key.id, 3600);
    expectApiError(await balance(first), 401, "INVALID_API_KEY");
    expect((await balance(second.secret)).status).toBe(200);
    expect((await balance(third.secret)).status).toBe(200);
  });

  it("refuses both the current and the old secret of a revoked key, even during a roll's grace", async () => {
    const { key, secret: old } = await makeKey(t);
    const rolled = await rollKey(t.db, await ownerCtx(), key.id, 3600);
    expect((await balance(old)).status).toBe(200);
    await revokeKey(t.db, await ownerCtx(), key.id);
    expectApiError(await balance(rolled.secret), 401, "API_KEY_INACTIVE");
    const oldReply = await balance(old);
    expect(oldReply.status).toBe(401);
    expect(["INVALID_API_KEY", "API_KEY_INACTIVE"]).toContain(oldReply.body.error_code);
  });

  it("refuses the old secret at once after a roll without grace", async () => {
    const { key, secret: old } = await makeKey(t);
    expect((await balance(old)).status).toBe(200); // cached as valid first
    const rolled = await rollKey(t.db, await ownerCtx(), key.id, 0);
    expectApiError(await balance(old), 401, "INVALID_API_KEY");
    expect((await balance(rolled.secret)).status).toBe(200);
  });
});

describe("client address", () => {
  it("accepts addresses inside an IPv4 allowlist and refuses others with IP_NOT_ALLOWED", async () => {
    const { secret } = await makeKey(t, { allowedCidrs: ["10.0.0.0/8"] });
    expect((await balance(secret, "10.1.2.3")).status).toBe(200);
    expectApiError(await balance(secret, "192.168.1.1"), 401, "IP_NOT_ALLOWED");
    expectApiError(await balance(secret, "11.0.0.1"), 401, "IP_NOT_ALLOWED");
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 address it maps", async () => {
    const { secret } = await makeKey(t, { allowedCidrs: ["10.0.0.0/8"] });
    expect((await balance(secret, "::ffff:10.1.2.3")).status).toBe(200);
    expectApiError(await balance(secret, "::ffff:192.168.1.1"), 401, "IP_NOT_ALLOWED");
  });

  it("accepts addresses inside an IPv6 allowlist and refuses others", async () => {
    const { secret } = await makeKey(t, { allowedCidrs: ["2001:db8::/32"] });
    expect((await balance(secret, "2001:db8::1")).status).toBe(200);
    expectApiError(await balance(secret, "2001:db9::1"), 401, "IP_NOT_ALLOWED");
    expectApiError(await balance(secret, "10.1.2.3"), 401, "IP_NOT_ALLOWED");
  });

  it("never lets a forged X-Forwarded-For (or X-Real-IP) header pass the allowlist", async () => {
    const { secret } = await makeKey(t, { allowedCidrs: ["10.0.0.0/8"] });
    const forged = { "x-forwarded-for": "10.1.2.3", "x-real-ip": "10.1.2.3", forwarded: "for=10.1.2.3" };
    expectApiError(await balance(secret, "192.168.1.1", forged), 401, "IP_NOT_ALLOWED");
  });

  it("refuses a key with an allowlist when the client address is unknown (fails closed)", async () => {
    const { secret } = await makeKey(t, { allowedCidrs: ["10.0.0.0/8"] });
    expectApiError(await balance(secret, null), 401, "IP_NOT_ALLOWED");
  });

  it("lets a key without an allowlist in from any address, even an unknown one", async () => {
    const { secret } = await makeKey(t);
    expect((await balance(secret, "192.168.1.1")).status).toBe(200);
    expect((await balance(secret, null)).status).toBe(200);
  });
});

describe("permissions", () => {
  const everyEndpoint = [
    { name: "GET /user/balance", handler: balanceRoute.GET, method: "GET", path: "/api/v1/user/balance", permission: "balance.read" },
    { name: "GET /user/pricing", handler: pricingRoute.GET, method: "GET", path: "/api/v1/user/pricing", permission: "pricing.read" },
    { name: "POST /user/pricing", handler: pricingRoute.POST, method: "POST", path: "/api/v1/user/pricing", permission: "pricing.read" },
    { name: "GET /user/payments", handler: paymentsRoute.GET, method: "GET", path: "/api/v1/user/payments", permission: "payments.read" },
    { name: "GET /keys", handler: keysRoute.GET, method: "GET", path: "/api/v1/keys", permission: "keys.read" },
  ] as const;

  it("refuses a key lacking the endpoint's permission with FORBIDDEN", async () => {
    const { secret } = await makeKey(t, { permissions: ["sms.read"] });
    const res = await balance(secret);
    expectApiError(res, 403, "FORBIDDEN");
    expect(res.body.description).toContain("balance.read");
  });

  it("lets a * key through every endpoint", async () => {
    const { secret } = await makeKey(t, { permissions: ["*"] });
    for (const e of everyEndpoint) {
      const res = await callApi(e.handler, { method: e.method, path: e.path, key: secret, address: randomAddress() });
      expect({ endpoint: e.name, status: res.status }).toEqual({ endpoint: e.name, status: 200 });
    }
  });

  it("lets a balance.read key read the balance and nothing else", async () => {
    const { secret } = await makeKey(t, { permissions: ["balance.read"] });
    for (const e of everyEndpoint) {
      const res = await callApi(e.handler, { method: e.method, path: e.path, key: secret, address: randomAddress() });
      const expected = e.permission === "balance.read" ? 200 : 403;
      expect({ endpoint: e.name, status: res.status }).toEqual({ endpoint: e.name, status: expected });
      if (expected === 403) expect(res.body.error_code).toBe("FORBIDDEN");
    }
  });

  it("limits a key to its creator's current role: a developer demoted to viewer leaves the key FORBIDDEN", async () => {
    const developer = t.seed.userIds.developer;
    const ctx = await contextFor(t.db, developer, t.seed.mainWorkspaceId);
    const { key, secret } = await createKey(t.db, ctx, {
      name: "developer key",
      mode: "live",
      permissions: ["sms.read", "keys.read"],
      hmac: false,
      offTheRecord: false,
      allowedCidrs: [],
      postbackUrl: null,
      expiresAt: null,
    });
    const list = () => callApi(keysRoute.GET, { path: "/api/v1/keys", key: secret, address: randomAddress() });
    expect((await list()).status).toBe(200);
    const membership = and(eq(memberships.userId, developer), eq(memberships.organizationId, t.seed.organizationId));
    try {
      await t.db.update(memberships).set({ role: "viewer" }).where(membership);
      invalidateKeyLocally(key.id);
      expectApiError(await list(), 403, "FORBIDDEN");
    } finally {
      await t.db.update(memberships).set({ role: "developer" }).where(membership);
      invalidateKeyLocally(key.id);
    }
    expect((await list()).status).toBe(200);
  });

  it("leaves a key with no rights once its creator has left the organization", async () => {
    const [user] = await t.db
      .insert(users)
      .values({ email: `leaver-${Date.now()}@acme.test`, name: "Leaver", passwordHash: "x" })
      .returning({ id: users.id });
    await t.db.insert(memberships).values({ userId: user.id, organizationId: t.seed.organizationId, role: "admin" });
    const { key, secret } = await makeKey(t, { name: "leaver key" }, t.seed.mainWorkspaceId, user.id);
    expect((await balance(secret)).status).toBe(200);
    await t.db.delete(memberships).where(eq(memberships.userId, user.id));
    invalidateKeyLocally(key.id);
    expectApiError(await balance(secret), 403, "FORBIDDEN");
  });
});
