import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { workspaces } from "./accounts";
import { apiKeys, KEY_MODES } from "./api-keys";

/** The message events: each has its own URL and field list in the settings. */
export const WEBHOOK_EVENTS = ["delivery", "click", "impression", "conversion"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The account events (ours): sent to the delivery URL of their mode, with a fixed body, when subscribed. */
export const ACCOUNT_EVENTS = ["balance.low", "key.expiring", "key.expired", "key.revoked", "key.rolled"] as const;
export type AccountEvent = (typeof ACCOUNT_EVENTS)[number];

/** Every event a workspace may subscribe to, and that the delivery log shows. */
export const EVENT_TYPES = [...WEBHOOK_EVENTS, ...ACCOUNT_EVENTS] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A workspace that never chose receives the message events and no account event (as before account events existed). */
export const DEFAULT_SUBSCRIPTIONS: readonly EventType[] = WEBHOOK_EVENTS;

/**
 * A workspace's webhook settings (docs/api-v1.md §5), one row per mode: test keys
 * read and change the test row, and the sandbox's deliveries use it, so a test
 * key never touches where live events go. The signing secret is encrypted,
 * never returned.
 */
export const webhookSettings = pgTable(
  "webhook_settings",
  {
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    mode: text("mode", { enum: KEY_MODES }).notNull().default("live"),
    deliveryUrl: text("delivery_url"),
    clickUrl: text("click_url"),
    impressionUrl: text("impression_url"),
    conversionUrl: text("conversion_url"),
    deliveryFields: text("delivery_fields").array(),
    clickFields: text("click_fields").array(),
    impressionFields: text("impression_fields").array(),
    conversionFields: text("conversion_fields").array(),
    uniqueClicksOnly: boolean("unique_clicks_only").notNull().default(false),
    // The events this mode's URLs receive (EVENT_TYPES); null: DEFAULT_SUBSCRIPTIONS.
    events: text("events").array(),
    signingSecretEncrypted: text("signing_secret_encrypted"),
    // When the current secret was set (the portal says "set on …"); null when none is set.
    signingSecretSetAt: timestamp("signing_secret_set_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.mode] })],
);

/** Every delivery attempt of every webhook event (GET /user/webhooks/logs). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    keyId: text("key_id"),
    // The mode of the settings the event went by: a test key's log shows test deliveries only.
    mode: text("mode", { enum: KEY_MODES }).notNull().default("live"),
    event: text("event").notNull(),
    url: text("url").notNull(),
    messageId: text("message_id"),
    attempt: integer("attempt").notNull(),
    success: boolean("success").notNull(),
    responseStatus: integer("response_status"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    // A sample sent by "Send test" (portal) or POST /user/webhooks/test, not a real event.
    test: boolean("test").notNull().default(false),
    // When the next attempt of this event is due; null when none follows (success, last attempt, or not retryable).
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /user/webhooks/logs: a workspace's attempts of one mode, newest first.
    index("webhook_deliveries_by_workspace").on(t.workspaceId, t.mode, t.createdAt.desc(), t.id.desc()),
    // A message's page: the attempts to deliver that message's events (deliveriesForMessage).
    index("webhook_deliveries_by_message").on(t.workspaceId, t.messageId),
  ],
);

/**
 * The expiry events already produced for a key (key.expiring 7 and 1 day ahead, key.expired): the job that
 * finds them inserts a row here in the transaction that enqueues the event, so however many instances run it,
 * at once or again, each (key, notice, expiry) yields one event. A changed expiry is a new one.
 */
export const KEY_EXPIRY_NOTICES = ["expiring_7d", "expiring_1d", "expired"] as const;
export type KeyExpiryNotice = (typeof KEY_EXPIRY_NOTICES)[number];

export const keyExpiryNotices = pgTable(
  "key_expiry_notices",
  {
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    notice: text("notice", { enum: KEY_EXPIRY_NOTICES }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.notice, t.expiresAt] })],
);
