/**
 * Every webhook event type with what it means, in catalog order (EVENT_TYPES):
 * browser-safe, for the Webhooks page's Events checkboxes, the Viewer's view and
 * the Delivery log's labels. Account events (ours) are named by their type.
 */
import type { EventType } from "@/db/schema";

export const EVENT_DESCRIPTIONS = {
  delivery: "A message got its final status",
  click: "A recipient opened a tracked link",
  impression: "A tracked link was shown (its URL is set through the API)",
  conversion: "A recipient acted after a click (its URL is set through the API)",
  "balance.low": "The balance fell to or below the low balance alert (Billing)",
  "key.expiring": "An API key expires in 7 days, then in 1 day",
  "key.expired": "An API key reached its expiry",
  "key.revoked": "An API key was revoked",
  "key.rolled": "An API key got a new secret",
} as const satisfies Record<EventType, string>;

export const EVENT_NAMES = Object.keys(EVENT_DESCRIPTIONS) as EventType[];

export const MESSAGE_EVENT_NAMES = EVENT_NAMES.filter((e) => !e.includes("."));
export const ACCOUNT_EVENT_NAMES = EVENT_NAMES.filter((e) => e.includes("."));

const MESSAGE_LABELS: Partial<Record<EventType, string>> = {
  delivery: "Delivery",
  click: "Click",
  impression: "Impression",
  conversion: "Conversion",
};

/** How the log names an event: the message events in words, the account events by their type. */
export const eventLabel = (event: string) => MESSAGE_LABELS[event as EventType] ?? event;
