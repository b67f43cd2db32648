/**
 * The guard's input steps and its error envelope (docs/api-v1.md §2): body size and
 * type, JSON objects only, query and path parameters, 404/405 in JSON, a request
 * id on every response, and INTERNAL_ERROR without internals.
 */
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as catchAllRoute from "@/app/api/v1/[...path]/route";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as messagesRoute from "@/app/api/v1/sms/messages/route";
import * as unifiedRoute from "@/app/api/v1/sms/messages/unified/route";
import * as sendRoute from "@/app/api/v1/sms/send/route";
import * as statusRoute from "@/app/api/v1/sms/status/[message_id]/route";
import * as logsRoute from "@/app/api/v1/user/webhooks/logs/route";
import * as webhooksRoute from "@/app/api/v1/user/webhooks/route";
import * as webhookTestRoute from "@/app/api/v1/user/webhooks/test/route";
import { apiKeys } from "@/db/schema";
import { invalidateKeyLocally } from "@/lib/keys/verify";
import { callApi, expectApiError, makeKey, randomAddress, startRuntime } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { MAX_BODY_BYTES } from "./guard/read-body";
import { operation } from "./operation";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;
let secret: string;

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  ({ secret } = await makeKey(t));
});

afterAll(async () => {
  await runtime?.close();
  await t?.close();
});

const createKeyCall = (body: string, headers?: Record<string, string>) =>
  callApi(keysRoute.POST, { method: "POST", path: "/api/v1/keys", key: secret, body, headers, address: randomAddress() });

describe("request bodies", () => {
  it("refuses a body over 64 KiB with PAYLOAD_TOO_LARGE", async () => {
    const body = JSON.stringify({ name: "x".repeat(65 * 1024), permissions: ["sms.send"] });
    expectApiError(await createKeyCall(body), 413, "PAYLOAD_TOO_LARGE");
  });

  it("refuses a declared Content-Length over 64 KiB before reading the body", async () => {
    const request = new NextRequest("http://localhost/api/v1/keys", {
      method: "POST",
      headers: { "x-api-key": secret, "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1) },
      body: "{}",
    });
    const res = await keysRoute.POST(request);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: false, error_code: "PAYLOAD_TOO_LARGE" });
  });

  it("reads a body of exactly 64 KiB (and then validates it)", async () => {
    const prefix = '{"permissions":["sms.send"],"name":"';
    const body = prefix + "x".repeat(MAX_BODY_BYTES - prefix.length - 2) + '"}';
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const res = await createKeyCall(body);
    expectApiError(res, 400, "INVALID_BODY");
    expect(res.body.description).toMatch(/^name: /);
  });

  it("refuses a body declared as something other than JSON with UNSUPPORTED_MEDIA_TYPE", async () => {
    const body = JSON.stringify({ name: "plain", permissions: ["sms.send"] });
    expectApiError(await createKeyCall(body, { "content-type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectApiError(await createKeyCall(body, { "content-type": "application/x-www-form-urlencoded" }), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("accepts application/json with a charset", async () => {
    const body = JSON.stringify({ name: "charset", permissions: ["sms.send"] });
    expect((await createKeyCall(body, { "content-type": "application/json; charset=utf-8" })).status).toBe(201);
  });

  it.each([
    ["not JSON", "not json"],
    ["an array", "[]"],
    ["a string", '"x"'],
    ["a number", "42"],
    ["null", "null"],
    ["empty", ""],
    ["only whitespace", "  \n "],
  ])("refuses a body that is %s with INVALID_BODY", async (_, body) => {
    expectApiError(await createKeyCall(body), 400, "INVALID_BODY");
  });

  it("refuses a body that is not valid UTF-8 with INVALID_BODY", async () => {
    const request = new NextRequest("http://localhost/api/v1/keys", {
      method: "POST",
      headers: { "x-api-key": secret, "content-type": "application/json", "x-portal-client-address": randomAddress() },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    const res = await keysRoute.POST(request);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: false, error_code: "INVALID_BODY" });
  });

  it("refuses a body nested 10,000 levels deep with INVALID_BODY on every endpoint that reads one, before anything recurses", async () => {
    const deep = (inner: string) => `{"to":${"[".repeat(10_000)}${inner}${"]".repeat(10_000)},"message":"hi","sender_id":"Acme"}`;
    const calls = [
      { handler: sendRoute.POST, method: "POST", path: "/api/v1/sms/send" },
      { handler: keysRoute.POST, method: "POST", path: "/api/v1/keys" },
      { handler: webhooksRoute.PUT, method: "PUT", path: "/api/v1/user/webhooks" },
      { handler: webhookTestRoute.POST, method: "POST", path: "/api/v1/user/webhooks/test" },
    ];
    for (const c of calls) {
      for (const body of [deep(""), deep('"+447400123456"'), `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`]) {
        const res = await callApi(c.handler, { ...c, key: secret, body, address: randomAddress() });
        expectApiError(res, 400, "INVALID_BODY");
        expect(res.body.description, c.path).toMatch(/nests more than 32 levels/);
      }
    }
  });

  it("names the first invalid field in INVALID_BODY", async () => {
    const res = await createKeyCall(JSON.stringify({ name: "ok", permissions: ["sms.fly"] }));
    expectApiError(res, 400, "INVALID_BODY");
    expect(res.body.description).toContain("permissions");
  });
});

describe("text Postgres cannot store: a NUL or an unpaired surrogate", () => {
  const NUL = "\u0000";
  const SURROGATE = "\ud800";

  it("refuses it in a message text with INVALID_MESSAGE", async () => {
    for (const message of [`code ${NUL}`, `code ${SURROGATE}`, `\udc00 code`]) {
      const res = await callApi(sendRoute.POST, {
        method: "POST",
        path: "/api/v1/sms/send",
        key: secret,
        body: { to: ["+447400123456"], message, sender_id: "Acme" },
        address: randomAddress(),
      });
      expectApiError(res, 400, "INVALID_MESSAGE");
    }
  });

  it("refuses it in a key's name or postback URL with INVALID_BODY, on create and on update", async () => {
    for (const body of [
      { name: `a${NUL}b`, permissions: ["sms.send"] },
      { name: SURROGATE, permissions: ["sms.send"] },
      { name: "ok", permissions: ["sms.send"], postback_url: `https://example.com/${NUL}` },
    ]) {
      expectApiError(await createKeyCall(JSON.stringify(body)), 400, "INVALID_BODY");
    }
    const { key } = await makeKey(t, { name: "to rename" });
    const res = await callApi(keyRoute.PATCH, {
      method: "PATCH",
      path: `/api/v1/keys/${key.id}`,
      params: { id: key.id },
      key: secret,
      body: { name: `x${NUL}` },
    });
    expectApiError(res, 400, "INVALID_BODY");
  });

  it("refuses it in a webhook URL with INVALID_URL and in a signing secret with INVALID_SECRET", async () => {
    const put = (body: object) =>
      callApi(webhooksRoute.PUT, { method: "PUT", path: "/api/v1/user/webhooks", key: secret, body, address: randomAddress() });
    expectApiError(await put({ delivery_url: `https://example.com/hook${NUL}` }), 400, "INVALID_URL");
    expectApiError(await put({ click_url: `https://example.com/${SURROGATE}` }), 400, "INVALID_URL");
    expectApiError(await put({ signing_secret: `s${NUL}` }), 400, "INVALID_SECRET");
    expectApiError(await put({ signing_secret: SURROGATE }), 400, "INVALID_SECRET");
  });

  it("answers NOT_FOUND for a message id that cannot exist, and INVALID_PARAMETER for a query value", async () => {
    // As Next decodes them from /sms/status/%00, /api_1_%00 (an unpaired surrogate never decodes: server.mjs answers 404 itself).
    for (const id of [NUL, `api_1_${NUL}`, SURROGATE]) {
      const res = await callApi(statusRoute.GET, {
        path: "/api/v1/sms/status/id",
        params: { message_id: id },
        key: secret,
      });
      expectApiError(res, 404, "NOT_FOUND");
    }
    for (const [handler, path] of [
      [messagesRoute.GET, "/api/v1/sms/messages?phone=%00"],
      [messagesRoute.GET, "/api/v1/sms/messages?sender=A%00"],
      [unifiedRoute.GET, "/api/v1/sms/messages/unified?phone=1%00"],
      [logsRoute.GET, "/api/v1/user/webhooks/logs?event=delivery%00"],
      [keysRoute.GET, "/api/v1/keys?page=1%00"],
    ] as const) {
      expectApiError(await callApi(handler, { path, key: secret, address: randomAddress() }), 400, "INVALID_PARAMETER");
    }
  });

  it("refuses it in a query parameter the endpoint does not use, when it takes a query at all", async () => {
    const res = await callApi(messagesRoute.GET, { path: "/api/v1/sms/messages?utm=%00", key: secret });
    expectApiError(res, 400, "INVALID_PARAMETER");
    expect(res.body.description).toMatch(/^utm: /);
    // An endpoint without query parameters ignores its query, as it always has.
    expect((await callApi(balanceRoute.GET, { path: "/api/v1/user/balance?utm=%00", key: secret })).status).toBe(200);
  });
});

describe("parameters", () => {
  it.each(["limit=0", "limit=101", "page=abc", "page=0", "limit=1.5"])("refuses GET /keys?%s with INVALID_PARAMETER", async (query) => {
    const res = await callApi(keysRoute.GET, { path: `/api/v1/keys?${query}`, key: secret, address: randomAddress() });
    expectApiError(res, 400, "INVALID_PARAMETER");
  });

  it("answers NOT_FOUND for a malformed key id, and for a well-formed unknown one", async () => {
    for (const id of ["nope", "key_", "key_has spaces", "../keys"]) {
      expectApiError(
        await callApi(keyRoute.GET, { path: `/api/v1/keys/${encodeURIComponent(id)}`, params: { id }, key: secret }),
        404,
        "NOT_FOUND",
      );
    }
    const unknown = "key_doesNotExist123";
    expectApiError(
      await callApi(keyRoute.GET, { path: `/api/v1/keys/${unknown}`, params: { id: unknown }, key: secret }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("paths and methods", () => {
  it("answers a wrong method on a known path with 405 METHOD_NOT_ALLOWED in JSON and an Allow header", async () => {
    const cases = [
      { handler: keysRoute.PUT, method: "PUT", path: "/api/v1/keys", allow: "GET, POST" },
      { handler: keysRoute.DELETE, method: "DELETE", path: "/api/v1/keys", allow: "GET, POST" },
      { handler: balanceRoute.POST, method: "POST", path: "/api/v1/user/balance", allow: "GET" },
      { handler: keyRoute.POST, method: "POST", path: "/api/v1/keys/key_x", allow: "GET, PATCH, DELETE" },
      { handler: rollRoute.GET, method: "GET", path: "/api/v1/keys/key_x/roll", allow: "POST" },
    ];
    for (const c of cases) {
      const res = await callApi(c.handler, { method: c.method, path: c.path, key: secret });
      expectApiError(res, 405, "METHOD_NOT_ALLOWED");
      expect(res.headers.get("allow")).toBe(c.allow);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });

  it("answers an unknown path under /api/v1 with a JSON 404 NOT_FOUND, whatever the method", async () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
      const res = await callApi(catchAllRoute[method], { method, path: "/api/v1/nothing/here", key: secret });
      expectApiError(res, 404, "NOT_FOUND");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });
});

describe("the guard's order", () => {
  it("authenticates before reading input: no key and a broken body is UNAUTHORIZED", async () => {
    const res = await callApi(keysRoute.POST, { method: "POST", path: "/api/v1/keys", body: "not json", address: randomAddress() });
    expectApiError(res, 401, "UNAUTHORIZED");
  });

  it("authorizes before reading input: a key without keys.write and a broken body is FORBIDDEN", async () => {
    const { secret: readOnly } = await makeKey(t, { permissions: ["keys.read"] });
    const res = await callApi(keysRoute.POST, { method: "POST", path: "/api/v1/keys", key: readOnly, body: "not json" });
    expectApiError(res, 403, "FORBIDDEN");
  });
});

describe("request ids", () => {
  it("puts a distinct X-Request-Id on every response: success, errors, 404 and 405", async () => {
    const responses = [
      await callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key: secret }),
      await callApi(balanceRoute.GET, { path: "/api/v1/user/balance" }),
      await createKeyCall("[]"),
      await callApi(balanceRoute.PUT, { method: "PUT", path: "/api/v1/user/balance", key: secret }),
      await callApi(catchAllRoute.GET, { path: "/api/v1/unknown" }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 401, 400, 405, 404]);
    const ids = responses.map((r) => r.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^req_[\w-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("INTERNAL_ERROR", () => {
  const failing = operation(
    {
      method: "GET",
      path: "/test/failing",
      tag: "Test",
      summary: "Always fails",
      permission: "balance.read",
      response: z.object({}),
      errors: ["INTERNAL_ERROR"],
    },
    async () => {
      throw new Error("secret internals: password=hunter2 at /srv/app/lib/x.ts:42");
    },
  );

  it("turns an unexpected handler error into a 500 with the request id and no internals", async () => {
    const res = await callApi(failing.handle, { path: "/api/v1/test/failing", key: secret });
    expectApiError(res, 500, "INTERNAL_ERROR");
    const requestId = res.headers.get("x-request-id");
    expect(res.body.request_id).toBe(requestId);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain("secret internals");
    expect(text).not.toContain("hunter2");
    expect(text).not.toMatch(/\.ts:\d+|\bat \//);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("never turns a handler's error into an authentication error", async () => {
    const res = await callApi(failing.handle, { path: "/api/v1/test/failing", key: secret });
    expect(res.status).toBe(500);
    expect(res.body.error_code).not.toMatch(/API_KEY|UNAUTHORIZED|SIGNATURE/);
  });

  it("turns an unexpected error while authenticating into a 500 with the request id and no internals", async () => {
    // A stored signing secret that no longer decrypts (e.g. KEY_ENCRYPTION_KEY changed): the key lookup itself throws.
    const { key, secret: hmacSecret } = await makeKey(t, { hmac: true });
    await t.db.update(apiKeys).set({ signingSecretEncrypted: "v1.broken.cipher.text" }).where(eq(apiKeys.id, key.id));
    invalidateKeyLocally(key.id);
    const res = await callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key: hmacSecret, address: randomAddress() });
    expectApiError(res, 500, "INTERNAL_ERROR");
    expect(res.body.request_id).toBe(res.headers.get("x-request-id"));
    expect(JSON.stringify(res.body)).not.toMatch(/malformed|Encrypted|decrypt/i);
  });
});
