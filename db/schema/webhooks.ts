import { bigint, boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { workspaces } from "./accounts";

export const WEBHOOK_EVENTS = ["delivery", "click", "impression", "conversion"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A workspace's webhook settings (docs/api-v1.md §5). The signing secret is encrypted, never returned. */
export const webhookSettings = pgTable("webhook_settings", {
  workspaceId: integer("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  deliveryUrl: text("delivery_url"),
  clickUrl: text("click_url"),
  impressionUrl: text("impression_url"),
  conversionUrl: text("conversion_url"),
  deliveryFields: text("delivery_fields").array(),
  clickFields: text("click_fields").array(),
  impressionFields: text("impression_fields").array(),
  conversionFields: text("conversion_fields").array(),
  uniqueClicksOnly: boolean("unique_clicks_only").notNull().default(false),
  signingSecretEncrypted: text("signing_secret_encrypted"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every delivery attempt of every webhook event (GET /user/webhooks/logs). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    keyId: text("key_id"),
    event: text("event").notNull(),
    url: text("url").notNull(),
    messageId: text("message_id"),
    attempt: integer("attempt").notNull(),
    success: boolean("success").notNull(),
    responseStatus: integer("response_status"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /user/webhooks/logs: a workspace's attempts, newest first.
    index("webhook_deliveries_by_workspace").on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    // A message's page: the attempts to deliver that message's events (deliveriesForMessage).
    index("webhook_deliveries_by_message").on(t.workspaceId, t.messageId),
  ],
);
