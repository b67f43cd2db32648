/**
 * "Send test" (the Webhooks page) and POST /user/webhooks/test: a sample event,
 * signed like real ones, sent now in one attempt (5 s) to the URL the settings
 * of that mode give the event; the attempt is logged (marked `test`, never
 * retried) and the receiver's answer returned.
 */
import type { Db } from "@/db";
import type { WebhookEvent } from "@/db/schema";
import type { KeyMode } from "@/lib/keys/format";
import { attemptDelivery, type DeliveryJob } from "./deliver";
import { recordAttempt } from "./logs";
import { samplePayload } from "./payload";
import { getWebhookSettings } from "./settings";

export type TestEventResult = {
  event: WebhookEvent;
  url: string;
  messageId: string;
  success: boolean;
  responseStatus: number | null;
  durationMs: number;
  /** Why it failed (timeout, refused address, connection error, HTTP status); null on success. */
  error: string | null;
  /** The start of the receiver's answer (at most 200 characters); null when it answered nothing. */
  responseExcerpt: string | null;
  sentAt: Date;
};

/** Sends a test event; null when that event has no URL in this mode's settings (nothing sent, nothing logged). */
export async function sendTestEvent(
  db: Db,
  input: { workspaceId: number; mode: KeyMode; keyId: string | null; event: WebhookEvent },
): Promise<TestEventResult | null> {
  const { workspaceId, mode, event } = input;
  const settings = await getWebhookSettings(db, workspaceId, mode);
  const url = settings.urls[event];
  if (!url) return null;
  const payload = samplePayload(event, workspaceId, settings.fields[event]);
  const messageId = String(payload.message_id);
  const job: DeliveryJob = { workspaceId, mode, keyId: input.keyId, event, url, messageId, payload, attempt: 1 };
  const sentAt = new Date();
  const outcome = await attemptDelivery(db, job);
  await recordAttempt(db, {
    ...job,
    test: true,
    success: outcome.success,
    responseStatus: outcome.responseStatus,
    durationMs: outcome.durationMs,
    error: outcome.error,
    createdAt: sentAt,
  });
  return {
    event,
    url,
    messageId,
    success: outcome.success,
    responseStatus: outcome.responseStatus,
    durationMs: outcome.durationMs,
    error: outcome.error,
    responseExcerpt: outcome.responseExcerpt || null,
    sentAt,
  };
}
