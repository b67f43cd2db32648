/**
 * An expected refusal from a service function. Its message is written for the
 * person or program that made the request and may be shown as it is; anything
 * else thrown is unexpected and is never shown. Domains raise this, never an
 * adapter's error (`lib/api` maps each code to its own error code, the portal's
 * action chain shows the message by the field).
 */
export type ServiceErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "INVALID_INPUT"
  | "CONFLICT"
  | "RATE_LIMITED"
  /** The balance does not cover a send (details: balance, estimated cost…). */
  | "INSUFFICIENT_BALANCE"
  /** (ours) A send would take the key past its daily spend cap (details: spent, cap…). */
  | "KEY_SPEND_LIMIT"
  /** An idempotency key reused with another request. */
  | "IDEMPOTENCY_KEY_REUSED"
  /** The sandbox (test mode's carrier) is down; a test send never falls through to live. */
  | "SANDBOX_UNAVAILABLE"
  /** A write could not be stored; nothing was done (safe to retry). */
  | "NOT_STORED";

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
    /** Machine-readable facts about the refusal (the API adds them to its error body). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const notFound = (what = "Key") => new ServiceError("NOT_FOUND", `${what} not found`);
