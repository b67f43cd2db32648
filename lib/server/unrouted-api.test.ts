import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerUnroutedApiRequest, API_ROUTES, unroutedApiAnswer, type UnroutedAnswer } from "./unrouted-api.mjs";

const UNROUTED_METHODS = [
  "TRACE",
  "PROPFIND",
  "PROPPATCH",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "SEARCH",
  "REPORT",
  "M-SEARCH",
  "PURGE",
];
const ROUTED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

function expectEnvelope(answer: UnroutedAnswer | null, status: number, code: string) {
  expect(answer).not.toBeNull();
  expect(answer!.status).toBe(status);
  expect(JSON.parse(answer!.body)).toEqual({ status: false, error_code: code, description: expect.any(String) });
  expect(answer!.headers["Content-Type"]).toBe("application/json");
  expect(answer!.headers["X-Request-Id"]).toMatch(/^req_[\w-]{16}$/);
}

describe("unroutedApiAnswer", () => {
  it("answers a method Next does not route with 405 METHOD_NOT_ALLOWED and the path's methods in Allow", () => {
    for (const method of [...UNROUTED_METHODS, "OPTIONS", "get", "Post", "FOO", "X".repeat(200)]) {
      const keys = unroutedApiAnswer(method, "/api/v1/keys");
      expectEnvelope(keys, 405, "METHOD_NOT_ALLOWED");
      expect(keys!.headers.Allow).toBe("GET, POST");
      const key = unroutedApiAnswer(method, "/api/v1/keys/key_abc?x=1");
      expectEnvelope(key, 405, "METHOD_NOT_ALLOWED");
      expect(key!.headers.Allow).toBe("GET, PATCH, DELETE");
      expect(JSON.parse(key!.body).description.length).toBeLessThan(100);
    }
    expect(unroutedApiAnswer("TRACE", "/api/v1/sms/status/api_1_2_ab")!.headers.Allow).toBe("GET");
    expect(unroutedApiAnswer("PROPFIND", "/api/v1/openapi.json")!.headers.Allow).toBe("GET");
  });

  it("answers such a method on an unknown path with 404 NOT_FOUND, as the catch-all route does", () => {
    for (const path of ["/api/v1", "/api/v1/", "/api/v1/nothing", "/api/v1/keys/", "/api/v1/keys/a/b/c", "/api/v1/keys//roll"]) {
      expectEnvelope(unroutedApiAnswer("TRACE", path), 404, "NOT_FOUND");
    }
  });

  it("answers a path that is not percent-encoded UTF-8 with 404 NOT_FOUND, whatever the method", () => {
    const paths = [
      "/api/v1/keys/%zz",
      "/api/v1/%zz",
      "/api/v1/sms/status/%ED%A0%80", // a lone surrogate
      "/api/v1/sms/status/%FF",
      "/api/v1/keys/%E2%82",
      "/api/v1/keys/%",
      "/api/v1/user/balance/%C0%AF",
    ];
    for (const path of paths)
      for (const method of [...ROUTED_METHODS, "TRACE"]) expectEnvelope(unroutedApiAnswer(method, path), 404, "NOT_FOUND");
  });

  it("passes every routed method on a decodable path on to Next", () => {
    for (const method of ROUTED_METHODS) {
      for (const path of [
        "/api/v1/keys",
        "/api/v1/keys/key_abc",
        "/api/v1/nothing",
        "/api/v1/sms/status/%00",
        "/api/v1/keys/%C3%A9?x=%zz",
      ]) {
        expect(unroutedApiAnswer(method, path)).toBeNull();
      }
    }
  });

  it("leaves everything outside /api/v1 to Next", () => {
    for (const path of ["/", "/settings/api-keys", "/api/health", "/api/v10/keys", "/api/auth/%zz", "/api/v1%2Fkeys", "*"]) {
      expect(unroutedApiAnswer("TRACE", path)).toBeNull();
    }
  });

  it("reads the path as Next does: dot segments resolved, an absolute-form target's path only", () => {
    expectEnvelope(unroutedApiAnswer("TRACE", "/api/v1/sms/../keys"), 405, "METHOD_NOT_ALLOWED");
    expect(unroutedApiAnswer("TRACE", "/api/v1/../../settings")).toBeNull();
    expectEnvelope(unroutedApiAnswer("GET", "http://elsewhere.example/api/v1/keys/%zz"), 404, "NOT_FOUND");
  });

  it("knows every path of the route table, and only methods an operation serves", () => {
    for (const [template, methods] of Object.entries(API_ROUTES)) {
      const path = "/api/v1" + template.replace(/\{\w+\}/g, "x_1");
      expect(unroutedApiAnswer("TRACE", path)!.headers.Allow).toBe(methods.join(", "));
      for (const method of methods) expect(ROUTED_METHODS).toContain(method);
    }
  });

  it("never throws, and answers null or the envelope, for any method and target", () => {
    // Any UTF-16 code unit, lone surrogates included.
    const text = fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 80 });
    const target = fc.oneof(
      text.map((s) => "/api/v1/" + s),
      fc
        .array(fc.oneof(fc.constantFrom("keys", "sms", "status", "%", "%zz", "%ED%A0%80", "..", "", "%00"), text), { maxLength: 6 })
        .map((s) => "/api/v1/" + s.join("/")),
      text,
    );
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...ROUTED_METHODS, ...UNROUTED_METHODS, "OPTIONS"), fc.string()), target, (method, url) => {
        const answer = unroutedApiAnswer(method, url);
        if (answer) expect([404, 405]).toContain(answer.status);
        if (answer) expect(JSON.parse(answer.body)).toMatchObject({ status: false });
      }),
    );
  });
});

describe("answerUnroutedApiRequest, on a real HTTP server", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (answerUnroutedApiRequest(req, res)) return;
      res.writeHead(299).end("next");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method, path }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });

  it("writes the envelope with Allow, X-Request-Id and Content-Length, and keeps the connection usable", async () => {
    const res = await send("TRACE", "/api/v1/keys");
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, POST");
    expect(res.headers["x-request-id"]).toMatch(/^req_/);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.body));
    expect(JSON.parse(res.body)).toMatchObject({ status: false, error_code: "METHOD_NOT_ALLOWED" });
    const withBody = await send("PROPFIND", "/api/v1/keys/key_abc", "<propfind/>".repeat(1000));
    expect(withBody.status).toBe(405);
  });

  it("sends no body to HEAD, and hands every other request to the next handler", async () => {
    const head = await send("HEAD", "/api/v1/keys/%zz");
    expect(head.status).toBe(404);
    expect(head.body).toBe("");
    expect((await send("GET", "/api/v1/keys")).status).toBe(299);
    expect((await send("TRACE", "/settings")).status).toBe(299);
  });
});
