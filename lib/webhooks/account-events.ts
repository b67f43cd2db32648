/**
 * Account events (ours; docs/api-v1.md §5): balance.low, key.expiring,
 * key.expired, key.revoked, key.rolled. Each is enqueued in the transaction
 * of what it reports, to the Delivery URL of its mode's settings when that mode
 * subscribes to it, and from there goes like a delivery event: the same
 * webhook-deliver job, signature, retries and log (with its event type).
 */
import { randomBytes } from "node:crypto";
import type { DbOrTx } from "@/db";
import type { AccountEvent, ApiKeyRow } from "@/db/schema";
import type { KeyMode } from "@/lib/keys/format";
import { QUEUES, type Queue } from "@/lib/queue/queue";
import type { DeliveryJob } from "./deliver";
import { getWebhookSettings, subscribed } from "./settings";

export type AccountEventInput = {
  workspaceId: number;
  /** Whose settings decide and sign: a test key's events go by the test settings. */
  mode: KeyMode;
  event: AccountEvent;
  /** The key the event is about (shown in the delivery log); null for balance.low. */
  keyId: string | null;
  /** The event's own fields (see ACCOUNT_EVENT_FIELDS); the common head is added here. */
  values: Record<string, unknown>;
};

/**
 * The job queue, or how to get it: the keys API and the portal fetch the process's queue only when an event
 * is to be sent (most workspaces subscribe to none).
 */
export type QueueRef = Queue | (() => Promise<Queue>);

/** `evt_<24 hex>`: receivers dedupe on it (a retry sends the same body). */
const newEventId = () => `evt_${randomBytes(12).toString("hex")}`;

/**
 * Enqueues one account event in the caller's transaction; false (nothing
 * enqueued) when the mode's settings do not subscribe to it or have no
 * Delivery URL.
 */
export async function enqueueAccountEvent(tx: DbOrTx, queue: QueueRef, input: AccountEventInput, now = new Date()): Promise<boolean> {
  const settings = await getWebhookSettings(tx, input.workspaceId, input.mode);
  const url = settings.urls.delivery;
  if (!url || !subscribed(settings, input.event)) return false;
  const job: DeliveryJob = {
    workspaceId: input.workspaceId,
    mode: input.mode,
    keyId: input.keyId,
    event: input.event,
    url,
    messageId: null,
    payload: {
      event: input.event,
      event_id: newEventId(),
      timestamp: now.toISOString(),
      workspace_id: input.workspaceId,
      mode: input.mode,
      ...input.values,
    },
    attempt: 1,
  };
  await (typeof queue === "function" ? await queue() : queue).send(tx, QUEUES.webhookDeliver, job);
  return true;
}

/** A key as account events name it: never its secret or hash, only what the keys list shows. */
export function keyValues(key: Pick<ApiKeyRow, "id" | "name" | "start" | "last4" | "expiresAt">): Record<string, unknown> {
  return {
    key_id: key.id,
    key_name: key.name,
    key_display: `${key.start}…${key.last4}`,
    key_expires_at: key.expiresAt?.toISOString() ?? null,
  };
}

/** key.revoked / key.rolled / key.expiring / key.expired for one key, in the caller's transaction. */
export function enqueueKeyEvent(
  tx: DbOrTx,
  queue: QueueRef,
  key: Pick<ApiKeyRow, "id" | "workspaceId" | "mode" | "name" | "start" | "last4" | "expiresAt">,
  event: Extract<AccountEvent, `key.${string}`>,
  extra: Record<string, unknown> = {},
  now = new Date(),
): Promise<boolean> {
  return enqueueAccountEvent(
    tx,
    queue,
    { workspaceId: key.workspaceId, mode: key.mode, event, keyId: key.id, values: { ...keyValues(key), ...extra } },
    now,
  );
}
