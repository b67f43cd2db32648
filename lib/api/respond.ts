import { randomBytes } from "node:crypto";
import { API_ERRORS, ApiError, type ApiErrorCode } from "./errors";
import type { RateState } from "./rate-limits";

export const REQUEST_ID_HEADER = "X-Request-Id";

export function newRequestId(): string {
  return "req_" + randomBytes(12).toString("base64url");
}

export function json(data: unknown, requestId: string, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(data, {
    status: init.status ?? 200,
    headers: { [REQUEST_ID_HEADER]: requestId, "Cache-Control": "no-store", ...init.headers },
  });
}

/** `{"status": false, "error_code", "description", ...extra}` with the code's HTTP status. */
export function errorResponse(error: ApiError, requestId: string): Response {
  return json({ status: false, error_code: error.code, description: error.message, ...error.extra }, requestId, {
    status: error.status,
    headers: error.headers,
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
export function withRateHeaders(response: Response, rate: RateState): Response {
  const set = (headers: Headers) => {
    headers.set("RateLimit-Limit", String(rate.limit));
    headers.set("RateLimit-Remaining", String(rate.remaining));
    headers.set("RateLimit-Reset", String(rate.resetSeconds));
    headers.set("RateLimit-Policy", `${rate.limit};w=1`);
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
