/**
 * The webhook settings API (docs/api-v1.md §5): GET with defaults, PUT as an
 * all-or-nothing partial update with one documented code per problem, the
 * secret never returned, URLs into our own network refused when saved; the
 * test event and the delivery log.
 */
import { createHmac, randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as logsRoute from "@/app/api/v1/user/webhooks/logs/route";
import * as webhooksRoute from "@/app/api/v1/user/webhooks/route";
import * as testRoute from "@/app/api/v1/user/webhooks/test/route";
import { auditEvents, webhookDeliveries, webhookSettings } from "@/db/schema";
import { decryptSecret } from "@/lib/keys/encryption";
import type { Permission } from "@/lib/permissions/catalog";
import { recordAttempt } from "@/lib/webhooks/logs";
import { callApi, expectApiError, makeKey, randomAddress, startRuntime } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { startReceiver, type Receiver } from "@/tests/webhook-receiver";
import type { ApiRuntime } from "./runtime";

// Receivers listen on 127.0.0.1; the SSRF block below removes this allowance for itself.
process.env.WEBHOOKS_ALLOW_PRIVATE = "true";

let t: TestDatabase;
let runtime: ApiRuntime;
let admin: string;
let staging: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  admin = (await makeKey(t, { name: "webhooks admin", permissions: ["*"] })).secret;
  staging = (await makeKey(t, { name: "staging admin", permissions: ["*"] }, t.seed.stagingWorkspaceId)).secret;
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await runtime?.close();
  await t?.close();
});

const api = {
  get: (key = admin) => callApi(webhooksRoute.GET, { path: "/api/v1/user/webhooks", key, address: randomAddress() }),
  put: (body: object | string, key = admin) =>
    callApi(webhooksRoute.PUT, { method: "PUT", path: "/api/v1/user/webhooks", key, body, address: randomAddress() }),
  test: (body?: object | string, key = admin) =>
    callApi(testRoute.POST, { method: "POST", path: "/api/v1/user/webhooks/test", key, body, address: randomAddress() }),
  logs: (query = "", key = admin) => callApi(logsRoute.GET, { path: `/api/v1/user/webhooks/logs${query}`, key, address: randomAddress() }),
};

async function keyWith(permissions: Permission[]) {
  return (await makeKey(t, { name: `only ${permissions.join(",")}`, permissions })).secret;
}

const SETTINGS_FIELDS = [
  "delivery_url",
  "click_url",
  "impression_url",
  "conversion_url",
  "delivery_fields",
  "click_fields",
  "impression_fields",
  "conversion_fields",
  "unique_clicks_only",
  "signing_secret_set",
  // (ours) the subscribed events, added with the account events
  "events",
].sort();

const settingsRow = async (workspaceId = t.seed.mainWorkspaceId) =>
  (await t.db.select().from(webhookSettings).where(eq(webhookSettings.workspaceId, workspaceId)))[0];

describe("GET /user/webhooks", () => {
  it("answers the defaults for a workspace that never saved any", async () => {
    const res = await api.get(staging);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(true);
    expect(Object.keys(res.body.webhooks).sort()).toEqual(SETTINGS_FIELDS);
    expect(res.body.webhooks).toEqual({
      delivery_url: null,
      click_url: null,
      impression_url: null,
      conversion_url: null,
      delivery_fields: ["message_id", "recipient", "sender_id", "status", "status_code", "num_parts", "cost", "timestamp", "failure"],
      click_fields: ["message_id", "recipient", "url", "timestamp"],
      impression_fields: ["message_id", "recipient", "url", "timestamp"],
      conversion_fields: ["message_id", "recipient", "action_type", "value", "timestamp"],
      unique_clicks_only: false,
      signing_secret_set: false,
      // The message events only: a receiver from before account events existed sees no change.
      events: ["delivery", "click", "impression", "conversion"],
    });
    expect(await settingsRow(t.seed.stagingWorkspaceId)).toBeUndefined();
  });

  it("needs webhooks.read", async () => {
    expectApiError(await api.get(await keyWith(["sms.send"])), 403, "FORBIDDEN");
    expect((await api.get(await keyWith(["webhooks.read"]))).status).toBe(200);
  });
});

describe("PUT /user/webhooks", () => {
  it("updates only what is sent and answers the GET shape", async () => {
    const res = await api.put({ delivery_url: "https://hooks.example.net/dlr", unique_clicks_only: true });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.webhooks).sort()).toEqual(SETTINGS_FIELDS);
    expect(res.body.webhooks).toMatchObject({ delivery_url: "https://hooks.example.net/dlr", click_url: null, unique_clicks_only: true });

    const next = await api.put({ click_url: " https://hooks.example.net/click ", click_fields: ["url", "message_id", "url"] });
    expect(next.body.webhooks).toMatchObject({
      delivery_url: "https://hooks.example.net/dlr",
      click_url: "https://hooks.example.net/click",
      click_fields: ["message_id", "url"],
      unique_clicks_only: true,
    });
    expect((await api.get()).body).toEqual(next.body);
  });

  it("disables a URL with null or an empty string", async () => {
    await api.put({ impression_url: "https://hooks.example.net/imp", conversion_url: "https://hooks.example.net/conv" });
    const res = await api.put({ impression_url: null, conversion_url: "" });
    expect(res.body.webhooks).toMatchObject({ impression_url: null, conversion_url: null });
    expect(await settingsRow()).toMatchObject({ impressionUrl: null, conversionUrl: null });
  });

  it("accepts the GET shape back (read-only and unknown fields are ignored)", async () => {
    const current = (await api.get()).body.webhooks;
    const res = await api.put({ ...current, signing_secret_set: true, something_else: 1 });
    expect(res.status).toBe(200);
    expect(res.body.webhooks).toEqual(current);
  });

  it("stores the signing secret encrypted and never returns it; rotates and clears it", async () => {
    const secret = "s3cret-" + randomBytes(12).toString("hex");
    const set = await api.put({ signing_secret: secret });
    expect(set.status).toBe(200);
    expect(set.body.webhooks.signing_secret_set).toBe(true);
    expect(JSON.stringify(set.body)).not.toContain(secret);
    expect(JSON.stringify((await api.get()).body)).not.toContain(secret);

    const row = await settingsRow();
    expect(row.signingSecretEncrypted).not.toContain(secret);
    expect(decryptSecret(row.signingSecretEncrypted!, `webhook:${t.seed.mainWorkspaceId}`)).toBe(secret);
    // Bound to this workspace: the ciphertext means nothing under another's context.
    expect(() => decryptSecret(row.signingSecretEncrypted!, `webhook:${t.seed.stagingWorkspaceId}`)).toThrow();

    const rotated = await api.put({ signing_secret: "x".repeat(64), clear_signing_secret: false });
    expect(rotated.body.webhooks.signing_secret_set).toBe(true);
    expect(decryptSecret((await settingsRow()).signingSecretEncrypted!, `webhook:${t.seed.mainWorkspaceId}`)).toBe("x".repeat(64));

    const cleared = await api.put({ clear_signing_secret: true });
    expect(cleared.body.webhooks.signing_secret_set).toBe(false);
    expect((await settingsRow()).signingSecretEncrypted).toBeNull();

    // The audit log says that the secret changed, never what it is.
    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "webhooks.update"), eq(auditEvents.workspaceId, t.seed.mainWorkspaceId)));
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("(ours) chooses the events, in catalog order, audited with the list before and after", async () => {
    const res = await api.put({ events: ["key.revoked", "delivery", "balance.low", "key.revoked"] });
    expect(res.status).toBe(200);
    expect(res.body.webhooks.events).toEqual(["delivery", "balance.low", "key.revoked"]);
    expect((await api.get()).body.webhooks.events).toEqual(["delivery", "balance.low", "key.revoked"]);
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "webhooks.update"), eq(auditEvents.workspaceId, t.seed.mainWorkspaceId)))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(audit.changes).toEqual({
      events: { before: ["delivery", "click", "impression", "conversion"], after: ["delivery", "balance.low", "key.revoked"] },
    });
    // An empty list receives nothing; back to the message events for the rest of this file.
    expect((await api.put({ events: [] })).body.webhooks.events).toEqual([]);
    expect((await api.put({ events: ["delivery", "click", "impression", "conversion"] })).status).toBe(200);
  });

  it("needs webhooks.write", async () => {
    expectApiError(await api.put({ unique_clicks_only: false }, await keyWith(["webhooks.read"])), 403, "FORBIDDEN");
  });

  describe("refuses, with the documented code, and writes nothing", () => {
    const cases: Array<[string, object | string, string]> = [
      ["a URL that is not a string", { delivery_url: 42 }, "INVALID_URL"],
      ["a URL that is an object", { click_url: { href: "https://x.example" } }, "INVALID_URL"],
      ["a URL that is not http(s)", { delivery_url: "ftp://hooks.example.net/" }, "INVALID_URL"],
      ["a javascript: URL", { delivery_url: "javascript:alert(1)" }, "INVALID_URL"],
      ["an unparseable URL", { delivery_url: "not a url" }, "INVALID_URL"],
      ["a URL without a host", { conversion_url: "http://" }, "INVALID_URL"],
      ["a URL over 2048 characters", { delivery_url: "https://hooks.example.net/" + "a".repeat(2048) }, "INVALID_URL"],
      ["an empty secret", { signing_secret: "" }, "INVALID_SECRET"],
      ["a secret over 64 characters", { signing_secret: "x".repeat(65) }, "INVALID_SECRET"],
      ["a secret that is not a string", { signing_secret: 12345 }, "INVALID_SECRET"],
      ["a null secret", { signing_secret: null }, "INVALID_SECRET"],
      ["null fields", { delivery_fields: null }, "INVALID_FIELDS"],
      ["an empty field list", { click_fields: [] }, "INVALID_FIELDS"],
      ["fields that are not a list", { delivery_fields: "message_id" }, "INVALID_FIELDS"],
      ["an unknown field", { delivery_fields: ["message_id", "password"] }, "INVALID_FIELDS"],
      ["another event's field", { delivery_fields: ["url"] }, "INVALID_FIELDS"],
      ["a field that is not a string", { conversion_fields: [1] }, "INVALID_FIELDS"],
      ["a non-boolean unique_clicks_only", { unique_clicks_only: "true" }, "INVALID_TOGGLE"],
      ["a null unique_clicks_only", { unique_clicks_only: null }, "INVALID_TOGGLE"],
      ["a non-boolean clear_signing_secret", { clear_signing_secret: 1 }, "INVALID_TOGGLE"],
      ["events that are not a list", { events: "balance.low" }, "INVALID_EVENTS"],
      ["null events", { events: null }, "INVALID_EVENTS"],
      ["an unknown event", { events: ["delivery", "key.created"] }, "INVALID_EVENTS"],
      ["an event that is not a string", { events: [1] }, "INVALID_EVENTS"],
      ["signing_secret with clear_signing_secret: true", { signing_secret: "abc", clear_signing_secret: true }, "CONFLICTING_FIELDS"],
      ["a body that is an array", "[]", "INVALID_BODY"],
      ["a body that is a string", '"hello"', "INVALID_BODY"],
      ["a body that is not JSON", "{delivery_url:", "INVALID_BODY"],
    ];

    it.each(cases)("%s", async (_name, body, code) => {
      const before = await settingsRow();
      const beforeAudit = (await t.db.select().from(auditEvents)).length;
      // A valid change alongside the bad one: nothing of it may be written either.
      const withValid = typeof body === "string" ? body : { unique_clicks_only: !before?.uniqueClicksOnly, ...body };
      const res = await api.put(withValid);
      expectApiError(res, 400, code);
      expect(await settingsRow()).toEqual(before);
      expect((await t.db.select().from(auditEvents)).length).toBe(beforeAudit);
    });
  });
});

describe("URLs into our own network (WEBHOOKS_ALLOW_PRIVATE unset)", () => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.WEBHOOKS_ALLOW_PRIVATE;
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;
  });
  afterAll(() => {
    process.env.WEBHOOKS_ALLOW_PRIVATE = saved;
  });

  it.each([
    "http://127.0.0.1/",
    "http://10.0.0.1/",
    "http://169.254.169.254/",
    "http://[::1]/",
    "http://[fd00::1]/",
    "http://localhost/",
    "http://[::ffff:10.0.0.1]/",
    "http://100.64.0.1/",
    "http://0.0.0.0:8080/",
    "http://2130706433/",
  ])("refuses %s when saved, writing nothing", async (url) => {
    const before = await settingsRow();
    for (const field of ["delivery_url", "click_url"]) {
      const res = await api.put({ unique_clicks_only: !before?.uniqueClicksOnly, [field]: url });
      expectApiError(res, 400, "INVALID_URL");
      expect(res.body.description).toContain(field);
    }
    expect(await settingsRow()).toEqual(before);
  });

  it("refuses a name that resolves to a private address without naming the address it resolved to", async () => {
    const res = await api.put({ delivery_url: "http://localhost/hook" });
    expectApiError(res, 400, "INVALID_URL");
    expect(res.body.description).toBe("delivery_url: refused: localhost resolves to a loopback address");
    expect(res.body.description).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it("refuses to send a test event to a URL saved while private addresses were allowed; the refusal is logged", async () => {
    const r = await startReceiver();
    receivers.push(r);
    process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
    expect((await api.put({ conversion_url: `http://localhost:${r.port}/hook` })).status).toBe(200);
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;

    const res = await api.test({ event: "conversion" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      event: "conversion",
      success: false,
      response_status: null,
      error: "refused: localhost resolves to a loopback address",
    });
    expect(r.requests).toHaveLength(0);
    const logs = await api.logs("?event=conversion&limit=1");
    expect(logs.body.logs[0]).toMatchObject({ success: false, error: res.body.error });
    await api.put({ conversion_url: null });
  });

  it("accepts a public address", async () => {
    const res = await api.put({ conversion_url: "https://93.184.215.14/hook" });
    expect(res.status).toBe(200);
    expect(res.body.webhooks.conversion_url).toBe("https://93.184.215.14/hook");
    await api.put({ conversion_url: null });
  });
});

describe("POST /user/webhooks/test", () => {
  it("sends a signed sample delivery event now and reports the receiver's answer; the attempt is logged", async () => {
    const r = await startReceiver(() => 202);
    receivers.push(r);
    const secret = "test-secret-" + randomBytes(8).toString("hex");
    expect((await api.put({ delivery_url: r.url, signing_secret: secret })).status).toBe(200);

    const res = await api.test();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: true, event: "delivery", url: r.url, success: true, response_status: 202, error: null });
    expect(Number.isInteger(res.body.duration_ms)).toBe(true);
    // The receiver's answer (tests/webhook-receiver.ts answers "ok").
    expect(res.body.response_excerpt).toBe("ok");

    expect(r.requests).toHaveLength(1);
    const { headers, body } = r.requests[0];
    const expected = "sha256=" + createHmac("sha256", secret).update(`${headers["x-webhook-timestamp"]}.${body}`).digest("hex");
    expect(headers["x-webhook-signature"]).toBe(expected);
    const payload = JSON.parse(body);
    // The sample is a delivered message: every chosen field but `failure`, which only an undelivered message's event has.
    const fields: string[] = (await api.get()).body.webhooks.delivery_fields;
    expect(fields).toContain("failure");
    expect(Object.keys(payload)).toEqual(fields.filter((f) => f !== "failure"));
    expect(payload.message_id).toMatch(/^test_/);

    const logs = await api.logs("?event=delivery&limit=1");
    expect(logs.body.logs[0]).toMatchObject({
      event: "delivery",
      url: r.url,
      message_id: payload.message_id,
      attempt: 1,
      success: true,
      response_status: 202,
      test: true,
      next_attempt_at: null,
    });
  });

  it("reports a failing receiver as success: false (still 200)", async () => {
    const r = await startReceiver(() => 500);
    receivers.push(r);
    await api.put({ click_url: r.url });
    const res = await api.test({ event: "click" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ event: "click", url: r.url, success: false, response_status: 500, error: "HTTP 500" });
    // The workspace's chosen click fields (set earlier in this file).
    expect(Object.keys(JSON.parse(r.requests[0].body))).toEqual(["message_id", "url"]);
  });

  it("answers NO_WEBHOOK_URL when that event has no URL", async () => {
    await api.put({ impression_url: null });
    expectApiError(await api.test({ event: "impression" }), 400, "NO_WEBHOOK_URL");
    await api.put({ delivery_url: null });
    expectApiError(await api.test(), 400, "NO_WEBHOOK_URL");
  });

  it("refuses an unknown event, and needs webhooks.write", async () => {
    expectApiError(await api.test({ event: "bounce" }), 400, "INVALID_BODY");
    expectApiError(await api.test({}, await keyWith(["webhooks.read"])), 403, "FORBIDDEN");
  });
});

describe("GET /user/webhooks/logs", () => {
  const ws = () => t.seed.stagingWorkspaceId;
  beforeAll(async () => {
    // 30 attempts in Staging: deliveries alternating success, every third a click; one in Main's log is never shown here.
    for (let i = 0; i < 30; i++) {
      await recordAttempt(t.db, {
        workspaceId: ws(),
        keyId: null,
        event: i % 3 === 0 ? "click" : "delivery",
        url: "https://hooks.example.net/x",
        messageId: `msg_${i}`,
        attempt: 1,
        success: i % 2 === 0,
        responseStatus: i % 2 === 0 ? 200 : 500,
        durationMs: i,
        error: i % 2 === 0 ? null : "HTTP 500",
        createdAt: new Date(Date.UTC(2026, 1, 1, 0, 0, i)),
      });
    }
  });

  it("lists the workspace's attempts newest first, 25 a page by default, in the documented shape", async () => {
    const res = await api.logs("", staging);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 30, page: 1, limit: 25, total_pages: 2 });
    expect(res.body.logs).toHaveLength(25);
    expect(Object.keys(res.body.logs[0]).sort()).toEqual(
      [
        "id",
        "event",
        "url",
        "message_id",
        "attempt",
        "success",
        "response_status",
        "duration_ms",
        "error",
        // Added with the portal's Webhooks page (new fields only: the earlier ones are unchanged).
        "test",
        "next_attempt_at",
        "created_at",
      ].sort(),
    );
    expect(res.body.logs[0]).toMatchObject({
      message_id: "msg_29",
      event: "delivery",
      success: false,
      response_status: 500,
      error: "HTTP 500",
      test: false,
      next_attempt_at: null,
      created_at: "2026-02-01T00:00:29.000Z",
    });
    const page2 = await api.logs("?page=2", staging);
    expect(page2.body.logs.map((l: { message_id: string }) => l.message_id)).toEqual(["msg_4", "msg_3", "msg_2", "msg_1", "msg_0"]);
  });

  it("filters by event and by success", async () => {
    const clicks = await api.logs("?event=click&limit=100", staging);
    expect(clicks.body.total).toBe(10);
    expect(clicks.body.logs.every((l: { event: string }) => l.event === "click")).toBe(true);
    const failed = await api.logs("?success=false&limit=100", staging);
    expect(failed.body.total).toBe(15);
    expect(failed.body.logs.every((l: { success: boolean }) => !l.success)).toBe(true);
    const both = await api.logs("?event=delivery&success=true&limit=3&page=2", staging);
    expect(both.body).toMatchObject({ total: 10, page: 2, limit: 3, total_pages: 4 });
    expect(both.body.logs.map((l: { message_id: string }) => l.message_id)).toEqual(["msg_20", "msg_16", "msg_14"]);
  });

  it("never shows another workspace's attempts", async () => {
    const main = await api.logs("?limit=100");
    expect(main.body.logs.some((l: { message_id: string }) => /^msg_\d+$/.test(l.message_id))).toBe(false);
    const rows = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.workspaceId, t.seed.mainWorkspaceId));
    expect(main.body.total).toBe(rows.length);
  });

  it.each(["?limit=0", "?limit=101", "?limit=abc", "?page=0", "?page=1.5", "?success=yes", "?event=bounce"])(
    "answers INVALID_PARAMETER for %s",
    async (query) => {
      expectApiError(await api.logs(query, staging), 400, "INVALID_PARAMETER");
    },
  );

  it("needs webhooks.read", async () => {
    expectApiError(await api.logs("", await keyWith(["sms.read"])), 403, "FORBIDDEN");
  });
});
