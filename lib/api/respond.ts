import { randomFillSync } from "node:crypto";
import { API_ERRORS, ApiError, type ApiErrorCode } from "./errors";
import type { RateState } from "./rate-limits";

export const REQUEST_ID_HEADER = "X-Request-Id";

const ID_BYTES = 12;
const POOL_IDS = 512;
const pool = Buffer.alloc(ID_BYTES * POOL_IDS);
let next = POOL_IDS;

/**
 * "req_" + 16 base64url characters (12 random bytes). The bytes come from a pool
 * refilled by one `randomFillSync` every 512 ids: measured (bench scenario 10's
 * CPU profile), `randomBytes(12)` per request was ~1% of the server's CPU under
 * the guarded route (a synchronous OpenSSL call each time, through Next.js's
 * wrapper of node:crypto). Every id still takes fresh bytes, never reused ones.
 */
export function newRequestId(): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const start = ID_BYTES * next++;
  return "req_" + pool.toString("base64url", start, start + ID_BYTES);
}

export function json(data: unknown, requestId: string, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(data, {
    status: init.status ?? 200,
    headers: { [REQUEST_ID_HEADER]: requestId, "Cache-Control": "no-store", ...init.headers },
  });
}

/** `{"status": false, "error_code", "description", ...extra}` with the code's HTTP status (`headers`: more of them, e.g. RateLimit-*). */
export function errorResponse(error: ApiError, requestId: string, headers?: Record<string, string>): Response {
  return json({ status: false, error_code: error.code, description: error.message, ...error.extra }, requestId, {
    status: error.status,
    headers: headers ? { ...headers, ...error.headers } : error.headers,
  });
}

export function errorOf(code: ApiErrorCode, description?: string): ApiError {
  return new ApiError(code, description ?? API_ERRORS[code].description);
}

/**
 * The workspace's request limit on an answer, with the IETF draft's header names
 * (draft-ietf-httpapi-ratelimit-headers): RateLimit-Limit, RateLimit-Remaining,
 * RateLimit-Reset (seconds), and RateLimit-Policy (`<limit>;w=1`: a one-second window).
 */
export function rateHeaders(rate: RateState): Record<string, string> {
  return {
    "RateLimit-Limit": String(rate.limit),
    "RateLimit-Remaining": String(rate.remaining),
    "RateLimit-Reset": String(rate.resetSeconds),
    "RateLimit-Policy": `${rate.limit};w=1`,
  };
}

/** The RateLimit-* headers set on a response made elsewhere (one a handler returned). */
export function withRateHeaders(response: Response, rate: RateState): Response {
  const set = (headers: Headers) => {
    for (const [name, value] of Object.entries(rateHeaders(rate))) headers.set(name, value);
  };
  try {
    set(response.headers);
    return response;
  } catch {
    // A response with immutable headers (e.g. one made by fetch): copy it once.
    const copy = new Response(response.body, response);
    set(copy.headers);
    return copy;
  }
}
