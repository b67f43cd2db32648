import { randomBytes } from "node:crypto";
import { API_ERRORS, ApiError, type ApiErrorCode } from "./errors";

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
