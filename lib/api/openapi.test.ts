/**
 * GET /api/v1/openapi.json: an OpenAPI 3.1 document generated from the same
 * operations the route files bind, so it cannot drift from what is served.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { ALL_PERMISSIONS } from "@/lib/permissions/catalog";
import { API_ERRORS } from "./errors";
import { OPERATIONS } from "./v1";
import * as accountOperations from "./v1/account";
import * as keyOperations from "./v1/keys";
import * as webhookOperations from "./v1/webhooks";
import * as smsOperations from "./v1/sms";
import * as smsSendOperations from "./v1/sms-send";

type OperationObject = {
  operationId: string;
  "x-permission": string;
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
  requestBody?: unknown;
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, OperationObject>>;
  security: Array<Record<string, string[]>>;
  components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
};

let doc: Document;
let response: Response;

beforeAll(async () => {
  response = await openapiRoute.GET();
  doc = JSON.parse(await response.clone().text());
});

const operationOf = (op: (typeof OPERATIONS)[number]) => doc.paths[op.path]?.[op.method.toLowerCase()];

describe("GET /api/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document as JSON, without authentication", () => {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it("answers every other method with 405 METHOD_NOT_ALLOWED in JSON, with Allow and a request id", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const handler = (openapiRoute as Record<string, unknown>)[method] as ((request: Request) => Promise<Response>) | undefined;
      expect(handler, method).toBeTypeOf("function");
      const res = await handler!(new Request("http://localhost/api/v1/openapi.json", { method }));
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET");
      expect(res.headers.get("x-request-id")).toMatch(/^req_/);
      expect(await res.json()).toMatchObject({ status: false, error_code: "METHOD_NOT_ALLOWED" });
    }
  });

  it("documents every operation, and only those", () => {
    for (const op of OPERATIONS) expect(operationOf(op), `${op.method} ${op.path}`).toBeDefined();
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(OPERATIONS.map((op) => `${op.method} ${op.path}`).sort());
  });

  it("documents every operation a route file under app/api/v1 binds, at that file's path", () => {
    const exported: Record<string, unknown> = {
      ...accountOperations,
      ...keyOperations,
      ...webhookOperations,
      ...smsOperations,
      ...smsSendOperations,
    };
    const root = path.resolve("app/api/v1");
    const routeFiles = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith("route.ts"));
    let bound = 0;
    for (const file of routeFiles) {
      const names = readFileSync(path.join(root, file), "utf8").match(/routeHandlers\(([^)]*)\)/)?.[1];
      if (!names) continue; // the catch-all 404, and this document itself
      const routePath =
        "/" +
        path
          .dirname(file)
          .split(path.sep)
          .map((s) => s.replace(/^\[(\w+)\]$/, "{$1}"))
          .join("/");
      for (const name of names.split(",").map((s) => s.trim())) {
        const op = exported[name] as (typeof OPERATIONS)[number] | undefined;
        expect(op, `${file}: ${name}`).toBeDefined();
        expect(OPERATIONS, `${file}: ${name}`).toContain(op);
        expect(op!.path, `${file}: ${name}`).toBe(routePath);
        bound++;
      }
    }
    expect(bound).toBe(OPERATIONS.length);
  });

  it("gives each operation its x-permission from the catalog, and a unique operationId", () => {
    const ids = new Set<string>();
    for (const op of OPERATIONS) {
      const documented = operationOf(op);
      expect(documented["x-permission"]).toBe(op.permission);
      expect(ALL_PERMISSIONS).toContain(documented["x-permission"]);
      expect(ids.has(documented.operationId)).toBe(false);
      ids.add(documented.operationId);
    }
  });

  it("declares the ApiKey, Timestamp and Signature security schemes as headers", () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes.ApiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(schemes.Timestamp).toMatchObject({ type: "apiKey", in: "header", name: "X-Timestamp" });
    expect(schemes.Signature).toMatchObject({ type: "apiKey", in: "header", name: "X-Signature" });
    expect(doc.security).toEqual(expect.arrayContaining([{ ApiKey: [] }, { ApiKey: [], Timestamp: [], Signature: [] }]));
  });

  it("lists every error code an operation may answer under the code's HTTP status", () => {
    for (const op of OPERATIONS) {
      const responses = operationOf(op).responses;
      for (const code of op.errors) {
        const status = String(API_ERRORS[code].status);
        expect(responses[status]?.description ?? "", `${op.method} ${op.path}: ${code}`).toContain(`\`${code}\``);
      }
      expect(responses[String(op.status ?? 200)]).toBeDefined();
    }
  });

  it("documents the RateLimit-* headers (ours) on every success and 429 answer, and Retry-After on every 429", () => {
    for (const op of OPERATIONS) {
      const responses = operationOf(op).responses as Record<string, { headers?: Record<string, { description?: string }> }>;
      const success = responses[String(op.status ?? 200)].headers ?? {};
      for (const name of ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]) {
        expect(success[name]?.description, `${op.method} ${op.path}: ${name}`).toMatch(/^\(ours\)/);
        if (responses["429"]) expect(responses["429"].headers?.[name], `${op.method} ${op.path}: 429 ${name}`).toBeDefined();
      }
      if (responses["429"]) expect(responses["429"].headers?.["Retry-After"], `${op.method} ${op.path}: 429 Retry-After`).toBeDefined();
    }
  });

  it("documents the request body of every operation that takes one", () => {
    for (const op of OPERATIONS) expect(Boolean(operationOf(op).requestBody), `${op.method} ${op.path}`).toBe(Boolean(op.body));
  });

  it("never documents a hash or a stored ciphertext in any schema", () => {
    expect(JSON.stringify(doc)).not.toMatch(/"(hash|previous_hash|signing_secret_encrypted)"/);
  });
});
