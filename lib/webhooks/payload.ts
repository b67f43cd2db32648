/**
 * Webhook bodies: a flat JSON object holding exactly the workspace's chosen
 * fields, in catalog order. Built when the event happens (so a retry sends the
 * same body) by the same code for real events and for test events.
 */
import { randomBytes } from "node:crypto";
import type { EventType, WebhookEvent, messages } from "@/db/schema";
import { failureOf } from "@/lib/sms/status-codes";
import { fieldOrder } from "./fields";

export type WebhookPayload = Record<string, unknown>;
type MessageRow = typeof messages.$inferSelect;

/**
 * Every delivery field of a message; `timestamp` is when it got its current
 * status. `failure` (ours) only for a message that was not delivered: a
 * delivered one's event has no such key, even when the field is chosen.
 */
export function deliveryValues(message: MessageRow): Record<string, unknown> {
  const failure = failureOf(message.status, message.statusCode);
  return {
    message_id: message.messageId,
    telecom_message_id: message.carrierMessageId,
    recipient: message.recipient,
    sender_id: message.senderId,
    status: message.status,
    status_code: message.statusCode,
    num_parts: message.segments,
    cost: Number(message.cost),
    timestamp: (message.deliveredAt ?? message.updatedAt).toISOString(),
    workspace_id: message.workspaceId,
    ...(failure ? { failure } : {}),
  };
}

export function pickFields(values: Record<string, unknown>, fields: readonly string[]): WebhookPayload {
  return Object.fromEntries(fields.filter((f) => f in values).map((f) => [f, values[f] ?? null]));
}

export function buildDeliveryPayload(message: MessageRow, fields: readonly string[]): WebhookPayload {
  return pickFields(deliveryValues(message), fields);
}

/**
 * A test event (POST /user/webhooks/test): plausible values, a message id
 * starting with `test_` so receivers can tell it from a real one.
 */
export function samplePayload(event: WebhookEvent, workspaceId: number, fields: readonly string[], now = new Date()): WebhookPayload {
  const messageId = `test_${workspaceId}_${randomBytes(8).toString("hex")}`;
  const common = { message_id: messageId, recipient: "+14155550100", timestamp: now.toISOString(), workspace_id: workspaceId };
  const values: Record<WebhookEvent, Record<string, unknown>> = {
    delivery: {
      ...common,
      telecom_message_id: `test-${randomBytes(6).toString("hex")}`,
      sender_id: "AcmeTest",
      status: "DELIVRD",
      status_code: "000",
      num_parts: 1,
      cost: 0,
    },
    click: { ...common, url: "https://example.com/offer", user_agent: "Mozilla/5.0 (test event)" },
    impression: { ...common, url: "https://example.com/offer", user_agent: "Mozilla/5.0 (test event)" },
    conversion: { ...common, action_type: "purchase", value: 0 },
  };
  return pickFields(values[event], fields);
}

/**
 * The raw body, keys in catalog order: the payload went through the job queue's
 * jsonb, which keeps its own key order.
 */
export function serializePayload(event: EventType, payload: WebhookPayload): string {
  const known = fieldOrder(event).filter((f) => f in payload);
  const rest = Object.keys(payload).filter((f) => !known.includes(f));
  return JSON.stringify(Object.fromEntries([...known, ...rest].map((f) => [f, payload[f]])));
}
