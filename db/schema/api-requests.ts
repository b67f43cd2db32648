import { bigint, index, integer, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per /api/v1 request (not for off-the-record keys), written in batches
 * off the request path. No secret is ever stored here: a failed authentication
 * records the error code and, when the key was found, its public id.
 */
export const apiRequests = pgTable(
  "api_requests",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    keyId: text("key_id"),
    workspaceId: integer("workspace_id"),
    mode: text("mode", { enum: ["live", "test"] }),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    errorCode: text("error_code"),
    latencyMs: integer("latency_ms").notNull(),
    address: text("address"),
    requestId: text("request_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A key's page: its recent requests, and its chart by time bucket and status.
    index("api_requests_by_key").on(t.keyId, t.createdAt.desc()),
    // Workspace-wide request views.
    index("api_requests_by_workspace").on(t.workspaceId, t.createdAt.desc()),
    // The retention purge: the oldest rows first, in batches (lib/runtime/retention.ts).
    index("api_requests_by_time").on(t.createdAt),
  ],
);

/** HMAC replay memory when Redis is not configured: a signature is accepted once per key. */
export const signatureReplays = pgTable(
  "signature_replays",
  {
    keyId: text("key_id").notNull(),
    signature: text("signature").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.signature] }),
    // The periodic purge of expired entries.
    index("signature_replays_expiry").on(t.expiresAt),
  ],
);

/**
 * Requests per key per hour, by status and error code. Kept for every key, off
 * the record or not ("counters still move"): the key page's chart and error-code
 * table read these, not the log.
 */
export const apiRequestCounts = pgTable(
  "api_request_counts",
  {
    keyId: text("key_id").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    status: smallint("status").notNull(),
    // "" when the request succeeded.
    errorCode: text("error_code").notNull().default(""),
    count: integer("count").notNull(),
  },
  (t) => [
    // The key page: one key's counts over a period.
    primaryKey({ columns: [t.keyId, t.hour, t.status, t.errorCode] }),
    // The retention purge: the oldest hours first, in batches (lib/runtime/retention.ts).
    index("api_request_counts_by_hour").on(t.hour),
  ],
);
