import { sql } from "drizzle-orm";
import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { workspaces } from "./accounts";

export const MESSAGE_STATUSES = ["pending", "sent", "DELIVRD", "UNDELIV", "REJECTD", "EXPIRED", "UNKNOWN", "failed"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const FINAL_STATUSES: readonly MessageStatus[] = ["DELIVRD", "UNDELIV", "REJECTD", "EXPIRED", "UNKNOWN", "failed"];

/**
 * One row per recipient of a send, live and test alike (`mode` keeps them apart:
 * every read filters on it). Recipients refused before sending (blocked country,
 * no price) are stored too, as `failed` with cost 0, so history and statistics
 * account for every recipient of every request.
 */
export const messages = pgTable(
  "messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // api_{workspaceId}_{unix ns}_{16 hex}
    messageId: text("message_id").notNull(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    keyId: text("key_id"),
    mode: text("mode", { enum: ["live", "test"] }).notNull(),
    source: text("source", { enum: ["api", "campaign"] })
      .notNull()
      .default("api"),
    recipient: text("recipient").notNull(),
    // ISO 3166 alpha-2, from the number; null when it has no country.
    country: text("country"),
    senderId: text("sender_id").notNull(),
    body: text("body").notNull(),
    encoding: text("encoding", { enum: ["GSM-7", "UCS-2"] }).notNull(),
    segments: smallint("segments").notNull(),
    // Exact money: segments × rate, in the workspace currency.
    cost: numeric("cost", { precision: 14, scale: 5 }).notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: MESSAGE_STATUSES }).notNull(),
    statusCode: text("status_code"),
    carrierMessageId: text("carrier_message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /sms/status/:message_id
    uniqueIndex("messages_message_id").on(t.messageId),
    // /sms/messages, /sms/stats*, the export: a workspace's messages of one mode over a period (id breaks ties for keyset paging).
    index("messages_by_workspace_time").on(t.workspaceId, t.mode, t.createdAt.desc(), t.id.desc()),
    // The status filter within a period.
    index("messages_by_workspace_status").on(t.workspaceId, t.mode, t.status, t.createdAt.desc()),
    // The periodic job that finalizes messages stuck without a final status for 3 days.
    index("messages_unfinished")
      .on(t.createdAt)
      .where(sql`${t.status} IN ('pending', 'sent')`),
  ],
);

/**
 * Running aggregates of `messages` (lib/sms/README.md, "Statistics"): counts,
 * segments and cost per workspace, mode, source, UTC day, country and status.
 * Triggers on `messages` (migration 0018) append the change of every INSERT,
 * UPDATE and DELETE to `message_stats_deltas` in the same transaction — one
 * row per group the statement touched, never an UPDATE of a shared row, so
 * concurrent sends do not queue on a hot counter — and the `sms-stats-fold`
 * job moves deltas into `message_stats`. A read sums both tables, so it is
 * always exact. `country` is '' for messages without one (a key column cannot
 * be null).
 */
const statsColumns = {
  workspaceId: integer("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  mode: text("mode", { enum: ["live", "test"] }).notNull(),
  source: text("source", { enum: ["api", "campaign"] }).notNull(),
  day: date("day", { mode: "string" }).notNull(),
  country: text("country").notNull(),
  status: text("status", { enum: MESSAGE_STATUSES }).notNull(),
  messages: bigint("messages", { mode: "number" }).notNull(),
  segments: bigint("segments", { mode: "number" }).notNull(),
  cost: numeric("cost", { precision: 20, scale: 5 }).notNull(),
};

export const messageStats = pgTable("message_stats", statsColumns, (t) => [
  primaryKey({ columns: [t.workspaceId, t.mode, t.day, t.source, t.country, t.status] }),
]);

/** Changes not yet folded into `message_stats` (append-only; signed counts). */
export const messageStatsDeltas = pgTable(
  "message_stats_deltas",
  { id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(), ...statsColumns },
  (t) => [index("message_stats_deltas_by_workspace_day").on(t.workspaceId, t.mode, t.day)],
);

/**
 * Idempotency-Key: the first response to a (workspace, key) is stored and
 * returned again for the same body within 24 h; another body gets 409. The
 * primary key makes a concurrent second request wait for the first to commit.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    bodyHash: text("body_hash").notNull(),
    statusCode: integer("status_code"),
    response: jsonb("response"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.key] }),
    // The purge of entries older than 24 h.
    index("idempotency_keys_created").on(t.createdAt),
  ],
);
