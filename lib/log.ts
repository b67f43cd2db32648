import pino from "pino";

/**
 * Structured JSON logs (one line per event). Secrets never reach a log: request
 * headers are not logged, and these paths are redacted should one slip in.
 */
const globalForLog = globalThis as unknown as { __log?: pino.Logger };

export const log: pino.Logger = (globalForLog.__log ??= pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
  redact: {
    paths: ["secret", "signingSecret", "signing_secret", "headers['x-api-key']", "headers['x-signature']", "*.secret"],
    censor: "[redacted]",
  },
}));
