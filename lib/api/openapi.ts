import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { PERMISSION_TABLE } from "@/lib/permissions/catalog";
import { API_ERRORS, API_ERROR_CODES, type ApiErrorCode } from "./errors";
import { OPERATIONS } from "./v1";
import { accountEventWebhooks } from "./v1/account-events";

const errorSchema = z
  .object({
    status: z.literal(false),
    error_code: z.enum(API_ERROR_CODES),
    description: z.string(),
  })
  .loose()
  .meta({ id: "Error", description: "Clients match on error_code only. Some codes add fields (see the API guide)." });

const requestIdHeader = {
  description: "Identifies the request in our logs",
  schema: { type: "string" as const, example: "req_Xh2k9Lq0aBcDeFgHiJkL" },
};

const integer = (example: number) => ({ type: "integer" as const, minimum: 0, example });
/** The workspace's request limit on every answer to an authenticated caller (docs/api-v1.md §2, "Rate-limit headers"). */
const rateLimitHeaders = {
  "RateLimit-Limit": { description: "(ours) The workspace's requests per second.", schema: integer(1000) },
  "RateLimit-Remaining": { description: "(ours) Requests left in the current one-second window after this one.", schema: integer(998) },
  "RateLimit-Reset": { description: "(ours) Seconds until the window resets.", schema: integer(1) },
  "RateLimit-Policy": {
    description: '(ours) The limit and its window, e.g. "1000;w=1".',
    schema: { type: "string" as const, example: "1000;w=1" },
  },
};
const retryAfterHeader = { description: "Seconds to wait before retrying.", schema: integer(1) };

/** The OpenAPI 3.1 document of /api/v1, generated from the operations' own zod schemas. */
export function openApiDocument(serverUrl = "/api/v1") {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of OPERATIONS) {
    const byStatus = new Map<number, ApiErrorCode[]>();
    for (const code of op.errors) byStatus.set(API_ERRORS[code].status, [...(byStatus.get(API_ERRORS[code].status) ?? []), code]);
    const responses: Record<string, unknown> = {
      [String(op.status ?? 200)]: {
        description: "Success",
        headers: { "X-Request-Id": requestIdHeader, ...rateLimitHeaders },
        content: { [op.responseType ?? "application/json"]: { schema: op.response } },
      },
    };
    for (const [status, codes] of byStatus) {
      responses[String(status)] = {
        description: codes.map((c) => `\`${c}\`: ${API_ERRORS[c].description}`).join("; "),
        headers: {
          "X-Request-Id": requestIdHeader,
          // Before authentication (401) an answer tells nothing of the workspace's traffic.
          ...(status === 401 ? {} : rateLimitHeaders),
          ...(status === 429 ? { "Retry-After": retryAfterHeader } : {}),
        },
        content: { "application/json": { schema: errorSchema } },
      };
    }
    const operation: ZodOpenApiOperationObject = {
      operationId: `${op.method.toLowerCase()}${op.path.replace(/[{}]/g, "").replace(/(^|[/._-])(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      description: `${op.description ? op.description + "\n\n" : ""}Requires the \`${op.permission}\` permission (or \`*\`).`,
      tags: [op.tag],
      "x-permission": op.permission,
      ...(op.params || op.query
        ? { requestParams: { ...(op.params ? { path: op.params } : {}), ...(op.query ? { query: op.query } : {}) } }
        : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
      responses,
    } as ZodOpenApiOperationObject;
    paths[op.path] = { ...paths[op.path], [op.method.toLowerCase()]: operation };
  }

  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "SMS API",
      version: "1.0.0",
      description: [
        "Send SMS, track delivery and manage API keys. Authenticate with `X-API-Key`.",
        'Keys that require signing also send `X-Timestamp` (Unix seconds) and `X-Signature`: the lowercase hex HMAC-SHA256, keyed with the key\'s signing secret, of `METHOD|path|timestamp|body` (path without the query string, body "" for GET). A timestamp more than 300 s from server time is refused, and each signature is accepted once.',
        "",
        "Permissions: " + PERMISSION_TABLE.map((p) => `\`${p.permission}\` (${p.description})`).join(", ") + "; `*` grants all.",
      ].join("\n"),
    },
    servers: [{ url: serverUrl }],
    security: [{ ApiKey: [] }, { ApiKey: [], Timestamp: [], Signature: [] }],
    components: {
      securitySchemes: {
        ApiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "sk_prod_… (live) or sk_test_… (test)" },
        Timestamp: { type: "apiKey", in: "header", name: "X-Timestamp", description: "Unix seconds (HMAC keys)" },
        Signature: {
          type: "apiKey",
          in: "header",
          name: "X-Signature",
          description: "hex HMAC-SHA256 of METHOD|path|timestamp|body (HMAC keys)",
        },
      },
    },
    paths,
    webhooks: accountEventWebhooks(),
  });
}
