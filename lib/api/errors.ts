/**
 * The error codes of /api/v1 (docs/api-v1.md §2) and their HTTP status: one table.
 * Clients match on error_code only; descriptions are for people.
 */
export const API_ERRORS = {
  UNAUTHORIZED: { status: 401, description: "Missing X-API-Key header" },
  INVALID_API_KEY: { status: 401, description: "Invalid API key" },
  API_KEY_INACTIVE: { status: 401, description: "This API key is disabled or revoked, or its workspace is archived" },
  API_KEY_EXPIRED: { status: 401, description: "This API key has expired" },
  IP_NOT_ALLOWED: { status: 401, description: "Requests from this address are not allowed for this API key" },
  SIGNATURE_REQUIRED: { status: 401, description: "This API key requires X-Timestamp and X-Signature headers" },
  INVALID_SIGNATURE: { status: 401, description: "Invalid request signature" },
  FORBIDDEN: { status: 403, description: "This API key lacks the permission for this endpoint" },
  INVALID_BODY: { status: 400, description: "The body must be a JSON object" },
  INVALID_TO: { status: 400, description: "Invalid recipients" },
  INVALID_MESSAGE: { status: 400, description: "Message is missing or empty" },
  MESSAGE_TOO_LONG: { status: 400, description: "Message is longer than 10 segments" },
  INVALID_SENDER: { status: 400, description: "Invalid sender_id" },
  TOO_MANY_RECIPIENTS: { status: 400, description: "At most 100 recipients per request" },
  INVALID_PARAMETER: { status: 400, description: "Invalid parameter" },
  INVALID_URL: { status: 400, description: "Invalid URL" },
  INVALID_SECRET: { status: 400, description: "Invalid signing secret" },
  INVALID_FIELDS: { status: 400, description: "Invalid fields" },
  INVALID_TOGGLE: { status: 400, description: "Invalid toggle" },
  INVALID_EVENTS: { status: 400, description: "Invalid event list" },
  CONFLICTING_FIELDS: { status: 400, description: "Conflicting fields" },
  NO_WEBHOOK_URL: { status: 400, description: "No webhook URL is set for this event" },
  INSUFFICIENT_BALANCE: { status: 402, description: "Insufficient balance" },
  KEY_SPEND_LIMIT: { status: 402, description: "(ours) The send would take the API key past its daily spend cap" },
  NOT_FOUND: { status: 404, description: "Not found" },
  METHOD_NOT_ALLOWED: { status: 405, description: "Method not allowed" },
  CONFLICT: { status: 409, description: "The request conflicts with the resource's state" },
  IDEMPOTENCY_KEY_REUSED: { status: 409, description: "This Idempotency-Key was used with a different body" },
  PAYLOAD_TOO_LARGE: { status: 413, description: "The body is larger than 64 KiB" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: "The body must be application/json" },
  RATE_LIMIT_EXCEEDED: { status: 429, description: "Too many requests for this workspace" },
  TOO_MANY_ATTEMPTS: { status: 429, description: "Too many failed authentications from this address" },
  DB_ERROR: { status: 500, description: "The request could not be stored; nothing was sent" },
  INTERNAL_ERROR: { status: 500, description: "Internal error" },
  SANDBOX_UNAVAILABLE: { status: 503, description: "The sandbox is unavailable" },
} as const satisfies Record<string, { status: number; description: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;
export const API_ERROR_CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];

/** An expected refusal: becomes `{status:false, error_code, description, ...extra}` with the table's HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    description?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? API_ERRORS[code].description);
    this.name = "ApiError";
  }

  get status(): number {
    return API_ERRORS[this.code].status;
  }
}
