/**
 * The keys management API (docs/api-v1.md §7): list, create, get, patch, roll and
 * revoke through the route handlers; secrets shown once and never listed; a key
 * can never mint or widen a key beyond its own permissions; audit rows name the
 * acting key.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import { apiKeys, auditEvents } from "@/db/schema";
import { KEY_PATTERN, SIGNING_SECRET_PATTERN } from "@/lib/keys/format";
import type { Permission } from "@/lib/permissions/catalog";
import { callApi, expectApiError, makeKey, randomAddress, startRuntime } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;
/** A `*` key of Main, acting through the API. */
let admin: { id: string; secret: string };

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  const made = await makeKey(t, { name: "admin key", permissions: ["*"] });
  admin = { id: made.key.id, secret: made.secret };
});

afterAll(async () => {
  await runtime?.close();
  await t?.close();
});

// The fields of docs/api-v1.md §7, plus the derived `status` and (ours) the spend and destination limits.
const KEY_FIELDS = [
  "id",
  "name",
  "mode",
  "start",
  "last4",
  "permissions",
  "enabled",
  "status",
  "hmac",
  "allowed_cidrs",
  "postback_url",
  "off_the_record",
  "expires_at",
  "last_used_at",
  "created_at",
  "revoked_at",
  "parent_key_id",
  "daily_spend_cap",
  "allowed_countries",
].sort();

const api = {
  list: (key: string, query = "") => callApi(keysRoute.GET, { path: `/api/v1/keys${query}`, key, address: randomAddress() }),
  create: (key: string, body: object | string) =>
    callApi(keysRoute.POST, { method: "POST", path: "/api/v1/keys", key, body, address: randomAddress() }),
  get: (key: string, id: string) => callApi(keyRoute.GET, { path: `/api/v1/keys/${id}`, params: { id }, key, address: randomAddress() }),
  patch: (key: string, id: string, body: object | string) =>
    callApi(keyRoute.PATCH, { method: "PATCH", path: `/api/v1/keys/${id}`, params: { id }, key, body, address: randomAddress() }),
  roll: (key: string, id: string, body?: object | string) =>
    callApi(rollRoute.POST, { method: "POST", path: `/api/v1/keys/${id}/roll`, params: { id }, key, body, address: randomAddress() }),
  revoke: (key: string, id: string) =>
    callApi(keyRoute.DELETE, { method: "DELETE", path: `/api/v1/keys/${id}`, params: { id }, key, address: randomAddress() }),
};
const balance = (key: string) => callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key, address: randomAddress() });

async function created(body: { name?: string; permissions?: Permission[]; [field: string]: unknown } = {}, as = admin.secret) {
  const res = await api.create(as, { name: "made by the API", permissions: ["balance.read"], ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; signing_secret?: string; [field: string]: unknown };
}

describe("GET /keys", () => {
  it("lists the workspace's keys of the key's mode in the documented shape, never with a secret or a hash", async () => {
    const hmac = await created({ name: "listed hmac", hmac: true });
    const res = await api.list(admin.secret);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, limit: 100, total_pages: 1 });
    expect(res.body.total).toBe(res.body.keys.length);
    // A live key lists the live keys (test keys are another mode's: keys-api.modes.test.ts).
    const rows = await t.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, t.seed.mainWorkspaceId), eq(apiKeys.mode, "live")));
    expect(res.body.keys.map((k: { id: string }) => k.id).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const key of res.body.keys) expect(Object.keys(key).sort()).toEqual(KEY_FIELDS);

    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/secret|hash/i);
    expect(text).not.toContain(hmac.secret);
    expect(text).not.toContain(hmac.signing_secret);
    for (const r of rows) {
      expect(text).not.toContain(r.hash);
      if (r.signingSecretEncrypted) expect(text).not.toContain(r.signingSecretEncrypted);
    }
  });

  it("pages with page and limit", async () => {
    const all = (await api.list(admin.secret)).body;
    const res = await api.list(admin.secret, "?limit=2&page=2");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 2, limit: 2, total: all.total, total_pages: Math.ceil(all.total / 2) });
    expect(res.body.keys.map((k: { id: string }) => k.id)).toEqual(all.keys.slice(2, 4).map((k: { id: string }) => k.id));
  });
});

describe("POST /keys", () => {
  it("creates a key and returns its secret once (201); the secret works at once", async () => {
    const res = await api.create(admin.secret, { name: "  Backend  ", permissions: ["balance.read", "sms.send"] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Backend",
      mode: "live",
      permissions: ["sms.send", "balance.read"],
      enabled: true,
      hmac: false,
      status: "active",
    });
    expect(res.body.secret).toMatch(KEY_PATTERN);
    expect(res.body.secret.startsWith(res.body.start)).toBe(true);
    expect(res.body.secret.endsWith(res.body.last4)).toBe(true);
    expect(res.body).not.toHaveProperty("signing_secret");
    expect((await balance(res.body.secret)).status).toBe(200);
    // Shown once: reading it back has no secret.
    const again = await api.get(admin.secret, res.body.id);
    expect(again.body).not.toHaveProperty("secret");
  });

  it("returns the signing secret too when hmac is on", async () => {
    const key = await created({ hmac: true });
    expect(key.hmac).toBe(true);
    expect(key.signing_secret).toMatch(SIGNING_SECRET_PATTERN);
  });

  it("creates test keys with the sk_test_ prefix when a test key asks", async () => {
    const testAdmin = await makeKey(t, { name: "test admin", mode: "test", permissions: ["*"] });
    const key = await created({ mode: "test" }, testAdmin.secret);
    expect(key.mode).toBe("test");
    expect(key.secret).toMatch(/^sk_test_/);
  });

  it("records the acting key as the parent of a key it creates", async () => {
    const key = await created();
    expect(key.parent_key_id).toBe(admin.id);
    expect((await api.get(admin.secret, key.id)).body.parent_key_id).toBe(admin.id);
  });

  it("credits a key made through the API to the acting key's creator", async () => {
    const key = await created();
    const [row] = await t.db.select({ createdBy: apiKeys.createdBy }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.createdBy).toBe(t.seed.userIds.owner);
  });

  it("refuses invalid input with INVALID_BODY", async () => {
    for (const body of [
      { permissions: ["sms.send"] },
      { name: "x", permissions: [] },
      { name: "x", permissions: ["sms.fly"] },
      { name: "x", permissions: ["sms.send"], mode: "prod" },
      { name: "x", permissions: ["sms.send"], allowed_cidrs: ["10.0.0.300/8"] },
      { name: "x", permissions: ["sms.send"], expires_at: "2001-01-01T00:00:00Z" },
      { name: "x", permissions: ["sms.send"], postback_url: "ftp://example.com" },
    ]) {
      expectApiError(await api.create(admin.secret, body), 400, "INVALID_BODY");
    }
  });
});

describe("GET /keys/:id", () => {
  it("returns one key in the documented shape", async () => {
    const key = await created({ name: "one", allowed_cidrs: ["10.1.2.3/8"] });
    const res = await api.get(admin.secret, key.id);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(KEY_FIELDS);
    expect(res.body).toMatchObject({ id: key.id, name: "one", allowed_cidrs: ["10.0.0.0/8"], revoked_at: null });
  });
});

describe("PATCH /keys/:id", () => {
  it("changes the name", async () => {
    const key = await created({ name: "before" });
    const res = await api.patch(admin.secret, key.id, { name: "after" });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("after");
    expect((await api.get(admin.secret, key.id)).body.name).toBe("after");
  });

  it("refuses fields that never change (mode, hmac) and unknown fields with INVALID_BODY", async () => {
    const key = await created();
    for (const body of [{ mode: "test" }, { hmac: true }, { name: "x", secret: "sk_prod_x" }, { colour: "red" }]) {
      expectApiError(await api.patch(admin.secret, key.id, body), 400, "INVALID_BODY");
    }
    expect((await api.get(admin.secret, key.id)).body).toMatchObject({ mode: "live", hmac: false });
  });

  it("disables a key: it is refused with API_KEY_INACTIVE at once", async () => {
    const key = await created();
    expect((await balance(key.secret)).status).toBe(200);
    expect((await api.patch(admin.secret, key.id, { enabled: false })).body.status).toBe("disabled");
    expectApiError(await balance(key.secret), 401, "API_KEY_INACTIVE");
  });
});

describe("POST /keys/:id/roll", () => {
  it("without a body: returns a new secret, and the old one stops at once", async () => {
    const key = await created();
    expect((await balance(key.secret)).status).toBe(200);
    const res = await api.roll(admin.secret, key.id);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(key.id);
    expect(res.body.secret).toMatch(KEY_PATTERN);
    expect(res.body.secret).not.toBe(key.secret);
    expectApiError(await balance(key.secret), 401, "INVALID_API_KEY");
    expect((await balance(res.body.secret)).status).toBe(200);
  });

  it("for an HMAC key, returns a new signing secret too, and keeps the old pair for expires_in_seconds", async () => {
    const key = await created({ hmac: true });
    const res = await api.roll(admin.secret, key.id, { expires_in_seconds: 3600 });
    expect(res.status).toBe(200);
    expect(res.body.signing_secret).toMatch(SIGNING_SECRET_PATTERN);
    expect(res.body.signing_secret).not.toBe(key.signing_secret);
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.previousExpiresAt!.getTime() - Date.now()).toBeGreaterThan(3590_000);
  });

  it("with expires_in_seconds: 3600 keeps the old secret working alongside the new one", async () => {
    const key = await created();
    const res = await api.roll(admin.secret, key.id, { expires_in_seconds: 3600 });
    expect((await balance(key.secret)).status).toBe(200);
    expect((await balance(res.body.secret)).status).toBe(200);
  });

  it("refuses an invalid grace with INVALID_BODY", async () => {
    const key = await created();
    for (const body of [
      { expires_in_seconds: -1 },
      { expires_in_seconds: "3600" },
      { expires_in_seconds: 1.5 },
      { expires_in_seconds: 8 * 24 * 3600 },
      "[]",
    ]) {
      expectApiError(await api.roll(admin.secret, key.id, body), 400, "INVALID_BODY");
    }
    expect((await balance(key.secret)).status).toBe(200);
  });
});

describe("DELETE /keys/:id", () => {
  it("revokes: the key is refused with API_KEY_INACTIVE and stays listed as revoked", async () => {
    const key = await created();
    expect((await balance(key.secret)).status).toBe(200);
    const res = await api.revoke(admin.secret, key.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: key.id, status: "revoked", revoked_at: expect.any(String) });
    expectApiError(await balance(key.secret), 401, "API_KEY_INACTIVE");
    const listed = (await api.list(admin.secret)).body.keys.find((k: { id: string }) => k.id === key.id);
    expect(listed.status).toBe("revoked");
  });

  it("refuses to change, roll or revoke a revoked key (409 CONFLICT)", async () => {
    const key = await created();
    await api.revoke(admin.secret, key.id);
    expectApiError(await api.revoke(admin.secret, key.id), 409, "CONFLICT");
    expectApiError(await api.patch(admin.secret, key.id, { name: "zombie" }), 409, "CONFLICT");
    expectApiError(await api.roll(admin.secret, key.id), 409, "CONFLICT");
  });

  it("lets a key revoke itself, after which it is refused", async () => {
    const self = await created({ permissions: ["keys.write", "keys.read"] });
    expect((await api.revoke(self.secret, self.id)).status).toBe(200);
    expectApiError(await api.list(self.secret), 401, "API_KEY_INACTIVE");
  });
});

describe("no escalation through the API", () => {
  const limitedPermissions: Permission[] = ["keys.write", "keys.read", "sms.send"];
  let limited: { id: string; secret: string };
  beforeAll(async () => {
    const made = await makeKey(t, { name: "limited", permissions: limitedPermissions });
    limited = { id: made.key.id, secret: made.secret };
  });

  it("cannot mint a * key, nor one with a permission it lacks (403 FORBIDDEN)", async () => {
    for (const permissions of [["*"], ["balance.read"], ["sms.send", "keys.read", "payments.read"]]) {
      const res = await api.create(limited.secret, { name: "escalate", permissions });
      expectApiError(res, 403, "FORBIDDEN");
    }
  });

  it("can create a key within its own permissions", async () => {
    const key = await created({ permissions: ["sms.send"] }, limited.secret);
    expect(key.permissions).toEqual(["sms.send"]);
    const sameSet = await created({ permissions: limitedPermissions }, limited.secret);
    expect(sameSet.permissions).toEqual(["sms.send", "keys.read", "keys.write"]);
  });

  it("cannot widen a key beyond its own permissions via PATCH, but can rename it", async () => {
    const key = await created({ permissions: ["sms.send"] }, limited.secret);
    expectApiError(await api.patch(limited.secret, key.id, { permissions: ["sms.send", "balance.read"] }), 403, "FORBIDDEN");
    expectApiError(await api.patch(limited.secret, key.id, { permissions: ["*"] }), 403, "FORBIDDEN");
    expect((await api.get(admin.secret, key.id)).body.permissions).toEqual(["sms.send"]);
    expect((await api.patch(limited.secret, key.id, { name: "renamed" })).status).toBe(200);
  });

  it("cannot change, roll or revoke a key with more permissions than itself (403 FORBIDDEN)", async () => {
    const stronger = await created({ name: "stronger", permissions: ["*"] });
    expectApiError(await api.patch(limited.secret, stronger.id, { name: "hijacked" }), 403, "FORBIDDEN");
    expectApiError(await api.patch(limited.secret, stronger.id, { enabled: false }), 403, "FORBIDDEN");
    expectApiError(await api.roll(limited.secret, stronger.id), 403, "FORBIDDEN");
    expectApiError(await api.revoke(limited.secret, stronger.id), 403, "FORBIDDEN");
    const after = (await api.get(admin.secret, stronger.id)).body;
    expect(after).toMatchObject({ name: "stronger", enabled: true, status: "active" });
    expect((await balance(stronger.secret)).status).toBe(200);
  });

  it("without keys.write cannot create (403), even a key it could read", async () => {
    const reader = await created({ permissions: ["keys.read", "balance.read"] });
    expectApiError(await api.create(reader.secret, { name: "x", permissions: ["balance.read"] }), 403, "FORBIDDEN");
    expect((await api.list(reader.secret)).status).toBe(200);
  });
});

describe("audit", () => {
  it("records create, update, roll and revoke made through the API with the acting key's id", async () => {
    const key = await created({ name: "audited" });
    await api.patch(admin.secret, key.id, { name: "audited 2" });
    const hashOf = async () => (await t.db.select({ hash: apiKeys.hash }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0].hash;
    const hashes = [await hashOf()];
    const rolled = (await api.roll(admin.secret, key.id, { expires_in_seconds: 60 })).body;
    hashes.push(await hashOf());
    await api.revoke(admin.secret, key.id);
    const rows = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetType, "api_key"), eq(auditEvents.targetId, key.id)))
      .orderBy(auditEvents.id);
    expect(rows.map((r) => r.action)).toEqual(["key.create", "key.update", "key.roll", "key.revoke"]);
    for (const r of rows) {
      expect(r).toMatchObject({
        actorKeyId: admin.id,
        actorUserId: null,
        workspaceId: t.seed.mainWorkspaceId,
        organizationId: t.seed.organizationId,
      });
      expect(r.address).toMatch(/^2001:db8:/);
    }
    expect(rows[1].changes).toEqual({ name: { before: "audited", after: "audited 2" } });
    // No secret, hash or ciphertext in the audit rows (the displayable start and last4 are fine).
    const text = JSON.stringify(rows);
    for (const secret of [key.secret, rolled.secret, ...hashes]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/hash|encrypted/i);
  });
});
