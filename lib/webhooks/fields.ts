/**
 * The fields a workspace may choose for each webhook event (docs/api-v1.md §5), in
 * payload order, and the defaults for a workspace that never chose. Delivery
 * fields are the contract's; click, impression and conversion fields are ours
 * (see README.md here). `workspace_id` is opt-in everywhere, and so is the
 * clicking browser's `user_agent`.
 */
import type { AccountEvent, EventType, WebhookEvent } from "@/db/schema";

export const DELIVERY_FIELDS = [
  "message_id",
  "telecom_message_id",
  "recipient",
  "sender_id",
  "status",
  "status_code",
  "num_parts",
  "cost",
  "timestamp",
  "workspace_id",
  // Ours: why a message was not delivered and what to do (lib/sms/status-codes.ts); absent from a delivered message's event.
  "failure",
] as const;
export const CLICK_FIELDS = ["message_id", "recipient", "url", "timestamp", "user_agent", "workspace_id"] as const;
export const IMPRESSION_FIELDS = ["message_id", "recipient", "url", "timestamp", "user_agent", "workspace_id"] as const;
export const CONVERSION_FIELDS = ["message_id", "recipient", "action_type", "value", "timestamp", "workspace_id"] as const;

export type DeliveryField = (typeof DELIVERY_FIELDS)[number];

export const EVENT_FIELDS: Record<WebhookEvent, readonly string[]> = {
  delivery: DELIVERY_FIELDS,
  click: CLICK_FIELDS,
  impression: IMPRESSION_FIELDS,
  conversion: CONVERSION_FIELDS,
};

const OPT_IN = new Set(["workspace_id", "user_agent"]);

/** Delivery: "the first nine except telecom_message_id", and our failure; the others: every field but the opt-in ones. */
export const DEFAULT_FIELDS: Record<WebhookEvent, readonly string[]> = {
  delivery: [...DELIVERY_FIELDS.slice(0, 9).filter((f) => f !== "telecom_message_id"), "failure"],
  click: CLICK_FIELDS.filter((f) => !OPT_IN.has(f)),
  impression: IMPRESSION_FIELDS.filter((f) => !OPT_IN.has(f)),
  conversion: CONVERSION_FIELDS.filter((f) => !OPT_IN.has(f)),
};

/** A chosen list in catalog order, without duplicates (the payload's key order follows it). */
export function normalizeFields(event: WebhookEvent, fields: readonly string[]): string[] {
  return EVENT_FIELDS[event].filter((f) => fields.includes(f));
}

/** The stored choice, or the defaults when none (null) — so a changed default reaches those who never chose. */
export function fieldsOrDefault(event: WebhookEvent, stored: readonly string[] | null | undefined): string[] {
  const chosen = stored ? normalizeFields(event, stored) : [];
  return chosen.length > 0 ? chosen : [...DEFAULT_FIELDS[event]];
}

/** The common head of every account event's body (ours). */
const ACCOUNT_HEAD = ["event", "event_id", "timestamp", "workspace_id", "mode"] as const;
const KEY_FIELDS = ["key_id", "key_name", "key_display", "key_expires_at"] as const;

/**
 * The fields of each account event (ours; docs/api-v1.md §5), in body order. Fixed: the workspace chooses
 * whether to receive an account event, not its fields. Never a secret or a hash: a key is named by its id,
 * name and display form (`start…last4`, as the keys list shows it).
 */
export const ACCOUNT_EVENT_FIELDS: Record<AccountEvent, readonly string[]> = {
  "balance.low": [...ACCOUNT_HEAD, "balance", "threshold", "currency"],
  "key.expiring": [...ACCOUNT_HEAD, ...KEY_FIELDS, "expires_in_days"],
  "key.expired": [...ACCOUNT_HEAD, ...KEY_FIELDS],
  "key.revoked": [...ACCOUNT_HEAD, ...KEY_FIELDS, "revoked_at", "revoked_with"],
  "key.rolled": [...ACCOUNT_HEAD, ...KEY_FIELDS, "previous_secret_expires_at"],
};

/** The order of a body's keys for any event. */
export function fieldOrder(event: EventType): readonly string[] {
  return event in EVENT_FIELDS ? EVENT_FIELDS[event as WebhookEvent] : ACCOUNT_EVENT_FIELDS[event as AccountEvent];
}
