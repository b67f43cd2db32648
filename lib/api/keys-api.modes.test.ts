/**
 * Mode is a boundary for API keys (issue #10): a test key sees and manages only
 * test keys, creates only test keys, has webhook settings and a delivery log of
 * its own, and reads a sandbox balance and no payments — never the live ones.
 * And the keys API shows a key what its creator may see in the portal.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import * as paymentsRoute from "@/app/api/v1/user/payments/route";
import * as webhookLogsRoute from "@/app/api/v1/user/webhooks/logs/route";
import * as webhooksRoute from "@/app/api/v1/user/webhooks/route";
import * as webhookTestRoute from "@/app/api/v1/user/webhooks/test/route";
import { apiKeys, auditEvents, webhookSettings, type ApiKeyRow } from "@/db/schema";
import { SANDBOX_BALANCE } from "@/lib/account/queries";
import type { Permission, Role } from "@/lib/permissions/catalog";
import { callApi, expectApiError, makeKey, randomAddress, setupApi, teardownApi, type Handler } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import { startReceiver, type Receiver } from "@/tests/webhook-receiver";
import type { ApiRuntime } from "./runtime";

// The test event goes to a receiver on 127.0.0.1.
process.env.WEBHOOKS_ALLOW_PRIVATE = "true";

let t: TestDatabase;
let runtime: ApiRuntime;
/** `*` keys of Main, one per mode, made by the owner in the portal's service. */
let live: { id: string; secret: string };
let test: { id: string; secret: string };
const receivers: Receiver[] = [];

beforeAll(async () => {
  ({ t, runtime } = await setupApi());
  const l = await makeKey(t, { name: "live admin", mode: "live" });
  const s = await makeKey(t, { name: "test admin", mode: "test" });
  live = { id: l.key.id, secret: l.secret };
  test = { id: s.key.id, secret: s.secret };
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await teardownApi({ t, runtime });
});

type Body = object | string | undefined;
const call = (handler: Handler, method: string, path: string, key: string, body?: Body, params?: Record<string, string>) =>
  callApi(handler, { method, path: `/api/v1${path}`, key, body, params, address: randomAddress() });

const keys = {
  list: (key: string) => call(keysRoute.GET, "GET", "/keys", key),
  create: (key: string, body: Body) => call(keysRoute.POST, "POST", "/keys", key, body),
  get: (key: string, id: string) => call(keyRoute.GET, "GET", `/keys/${id}`, key, undefined, { id }),
};

/** Every keys endpoint that takes an id, with a body that would succeed on a key the caller may manage. */
const BY_ID: Array<{ name: string; handler: Handler; method: string; suffix: string; body?: object }> = [
  { name: "GET /keys/:id", handler: keyRoute.GET, method: "GET", suffix: "" },
  {
    name: "PATCH /keys/:id",
    handler: keyRoute.PATCH,
    method: "PATCH",
    suffix: "",
    body: { name: "taken over", postback_url: "https://93.184.215.14/steal" },
  },
  { name: "POST /keys/:id/roll", handler: rollRoute.POST, method: "POST", suffix: "/roll", body: { expires_in_seconds: 0 } },
  { name: "DELETE /keys/:id", handler: keyRoute.DELETE, method: "DELETE", suffix: "" },
];

async function expectNotFoundEverywhere(callerKey: string, targets: ApiKeyRow[]) {
  expect(targets.length).toBeGreaterThan(0);
  for (const target of targets) {
    for (const e of BY_ID) {
      const res = await call(e.handler, e.method, `/keys/${target.id}${e.suffix}`, callerKey, e.body, { id: target.id });
      expect({ endpoint: e.name, key: target.name, status: res.status, code: res.body.error_code }).toEqual({
        endpoint: e.name,
        key: target.name,
        status: 404,
        code: "NOT_FOUND",
      });
    }
  }
}

const keysOf = async (mode: "live" | "test") => {
  await runtime.requestLog.flush();
  return (await t.db.select().from(apiKeys).where(eq(apiKeys.workspaceId, t.seed.mainWorkspaceId)).orderBy(apiKeys.id)).filter(
    (k) => k.mode === mode,
  );
};

describe("a test key and live keys", () => {
  it("refuses a test key's request to create a live key (403 FORBIDDEN), and creates nothing", async () => {
    const before = await keysOf("live");
    const res = await keys.create(test.secret, { name: "escape to live", mode: "live", permissions: ["sms.send"] });
    expectApiError(res, 403, "FORBIDDEN");
    expect(res.body.description).toMatch(/test key cannot create live keys/);
    expect((await keysOf("live")).map((k) => k.id)).toEqual(before.map((k) => k.id));
  });

  it("creates a test key when a test key leaves mode out", async () => {
    const res = await keys.create(test.secret, { name: "defaults to test", permissions: ["sms.send"] });
    expect(res.status).toBe(201);
    expect(res.body.mode).toBe("test");
    expect(res.body.secret).toMatch(/^sk_test_/);
  });

  it("refuses a live key's request to create a test key too (403 FORBIDDEN)", async () => {
    expectApiError(await keys.create(live.secret, { name: "to test", mode: "test", permissions: ["sms.send"] }), 403, "FORBIDDEN");
  });

  it("lists no live key to a test key, and no test key to a live key", async () => {
    const listedBy = async (secret: string) => ((await keys.list(secret)).body.keys as { id: string; mode: string }[]).map((k) => k.id);
    expect((await listedBy(test.secret)).sort()).toEqual((await keysOf("test")).map((k) => k.id).sort());
    expect((await listedBy(live.secret)).sort()).toEqual((await keysOf("live")).map((k) => k.id).sort());
  });

  it("answers 404 NOT_FOUND to a test key for every live key on GET, PATCH, roll and DELETE, and changes nothing", async () => {
    const before = await keysOf("live");
    await expectNotFoundEverywhere(test.secret, before);
    expect(await keysOf("live")).toEqual(before);
    // The live key still works: not rolled away, not revoked.
    expect((await call(balanceRoute.GET, "GET", "/user/balance", live.secret)).status).toBe(200);
  });

  it("answers 404 NOT_FOUND to a live key for every test key", async () => {
    const before = await keysOf("test");
    await expectNotFoundEverywhere(live.secret, before);
    expect(await keysOf("test")).toEqual(before);
  });
});

describe("webhook settings per mode", () => {
  const settings = (key: string) => call(webhooksRoute.GET, "GET", "/user/webhooks", key);
  const put = (key: string, body: object) => call(webhooksRoute.PUT, "PUT", "/user/webhooks", key, body);

  it("keeps a test key's PUT /user/webhooks off the live settings: live delivery_url and secret stay as they were", async () => {
    expect((await put(live.secret, { delivery_url: "https://93.184.215.14/live", signing_secret: "live-secret" })).status).toBe(200);
    const res = await put(test.secret, { delivery_url: "https://93.184.215.14/test", clear_signing_secret: true });
    expect(res.status).toBe(200);
    expect(res.body.webhooks).toMatchObject({ delivery_url: "https://93.184.215.14/test", signing_secret_set: false });

    expect((await settings(live.secret)).body.webhooks).toMatchObject({
      delivery_url: "https://93.184.215.14/live",
      signing_secret_set: true,
    });
    expect((await settings(test.secret)).body.webhooks).toMatchObject({ delivery_url: "https://93.184.215.14/test" });
    const rows = await t.db.select().from(webhookSettings).where(eq(webhookSettings.workspaceId, t.seed.mainWorkspaceId));
    expect(rows.map((r) => [r.mode, r.deliveryUrl]).sort()).toEqual([
      ["live", "https://93.184.215.14/live"],
      ["test", "https://93.184.215.14/test"],
    ]);
  });

  it("audits a test-mode change as webhooks.update_test", async () => {
    await put(test.secret, { click_url: "https://93.184.215.14/click-test" });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.actorKeyId, test.id))
      .orderBy(auditEvents.id)
      .then((rows) => rows.filter((r) => r.action.startsWith("webhooks.")).slice(-1));
    expect(event).toMatchObject({
      action: "webhooks.update_test",
      changes: { clickUrl: { before: null, after: "https://93.184.215.14/click-test" } },
    });
  });

  it("sends a test key's test event to the test URL, and logs it where only test keys see it", async () => {
    const r = await startReceiver();
    receivers.push(r);
    expect((await put(test.secret, { impression_url: r.url })).status).toBe(200);
    const sent = await call(webhookTestRoute.POST, "POST", "/user/webhooks/test", test.secret, { event: "impression" });
    expect(sent.body).toMatchObject({ url: r.url, success: true });
    expect(r.requests).toHaveLength(1);

    const logs = (key: string) => call(webhookLogsRoute.GET, "GET", "/user/webhooks/logs?event=impression", key);
    expect((await logs(test.secret)).body.logs.map((l: { url: string }) => l.url)).toEqual([r.url]);
    expect((await logs(live.secret)).body.logs).toEqual([]);
  });
});

describe("balance and payments of a test key", () => {
  it("answers a test key's GET /user/balance with the fixed sandbox balance, never the live one", async () => {
    const res = await call(balanceRoute.GET, "GET", "/user/balance", test.secret);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ balance: SANDBOX_BALANCE, currency: "EUR", updated: expect.any(String), sandbox: true });
    expect((await call(balanceRoute.GET, "GET", "/user/balance", live.secret)).body).toMatchObject({ balance: 250 });
    expect((await call(balanceRoute.GET, "GET", "/user/balance", live.secret)).body).not.toHaveProperty("sandbox");
  });

  it("answers a test key's GET /user/payments with an empty list, never the live ledger", async () => {
    expect((await call(paymentsRoute.GET, "GET", "/user/payments", live.secret)).body.length).toBeGreaterThan(0);
    const res = await call(paymentsRoute.GET, "GET", "/user/payments", test.secret);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });
});

describe("keys.read shows what the key's creator may see in the portal", () => {
  const madeBy = async (role: Role, permissions: Permission[]) =>
    (await makeKey(t, { name: `${role} reader`, permissions }, t.seed.mainWorkspaceId, t.seed.userIds[role])).secret;

  it("lists to a Developer's key only the keys within the Developer's ceiling: never the * production key", async () => {
    const developerKey = await madeBy("developer", ["keys.read", "sms.read"]);
    const listed = (await keys.list(developerKey)).body.keys as { id: string; name: string; permissions: Permission[] }[];
    const production = (await keysOf("live")).find((k) => k.name === "Production backend")!;
    expect(listed.map((k) => k.id)).not.toContain(production.id);
    expect(listed.length).toBeGreaterThan(0);
    const ceiling = ["sms.send", "sms.read", "webhooks.read", "webhooks.write", "keys.read"];
    for (const k of listed) expect(k.permissions.every((p) => ceiling.includes(p))).toBe(true);
    const expected = (await keysOf("live")).filter((k) => k.permissions.every((p) => ceiling.includes(p)));
    expect(listed.map((k) => k.id).sort()).toEqual(expected.map((k) => k.id).sort());
  });

  it("answers 404 NOT_FOUND to a Developer's key for GET /keys/:id of a key beyond the Developer's ceiling", async () => {
    const developerKey = await madeBy("developer", ["keys.read"]);
    const production = (await keysOf("live")).find((k) => k.name === "Production backend")!;
    expectApiError(await keys.get(developerKey, production.id), 404, "NOT_FOUND");
    const within = await makeKey(t, { name: "sms only", permissions: ["sms.send"] });
    expect((await keys.get(developerKey, within.key.id)).status).toBe(200);
  });

  it("shows all of the workspace's keys of its mode to a key made by an Admin", async () => {
    const adminKey = await madeBy("admin", ["keys.read"]);
    const listed = (await keys.list(adminKey)).body.keys as { id: string }[];
    expect(listed.map((k) => k.id).sort()).toEqual((await keysOf("live")).map((k) => k.id).sort());
  });
});
