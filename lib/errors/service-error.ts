/**
 * An expected refusal from a service function. Its message is written for the
 * person or program that made the request and may be shown as it is; anything
 * else thrown is unexpected and is never shown.
 */
export type ServiceErrorCode = "NOT_FOUND" | "FORBIDDEN" | "INVALID_INPUT" | "CONFLICT" | "RATE_LIMITED";

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const notFound = (what = "Key") => new ServiceError("NOT_FOUND", `${what} not found`);
