/**
 * What the Webhooks page changes: the live settings (the portal's, the same as
 * live keys'), through updateWebhookSettings, so each save is one transaction
 * with one audit event whose changes never hold the secret.
 */
import type { Db } from "@/db";
import type { EventType } from "@/db/schema";
import type { ActorContext } from "@/lib/context/actor";
import { ServiceError } from "@/lib/errors/service-error";
import type { WebhookFormInput } from "./form-schema";
import { getWebhookSettings, updateWebhookSettings, type WebhookSettingsView } from "./settings";
import { sendTestEvent, type TestEventResult } from "./test-event";
import { firstUnsafeUrl } from "./url-safety";

/** The settings as the page shows them: never the secret, only whether one is set and since when. */
export type WebhookFormView = {
  deliveryUrl: string | null;
  clickUrl: string | null;
  deliveryFields: string[];
  /** The events sent (ours: the account events among them). */
  events: EventType[];
  signingSecretSet: boolean;
  signingSecretSetAt: string | null;
};

export function toFormView(view: WebhookSettingsView): WebhookFormView {
  return {
    deliveryUrl: view.urls.delivery,
    clickUrl: view.urls.click,
    deliveryFields: view.fields.delivery,
    events: view.events,
    signingSecretSet: view.signingSecretSet,
    signingSecretSetAt: view.signingSecretSetAt?.toISOString() ?? null,
  };
}

export async function getWebhookForm(db: Db, ctx: ActorContext): Promise<WebhookFormView> {
  return toFormView(await getWebhookSettings(db, ctx.workspaceId, "live"));
}

const FORM_FIELD = { delivery: "deliveryUrl", click: "clickUrl" } as const;

/** Saves the form: URLs (checked for where they point first), delivery fields, the events, and a new secret when one was typed. */
export async function saveWebhookForm(db: Db, ctx: ActorContext, input: WebhookFormInput): Promise<WebhookFormView> {
  const unsafe = await firstUnsafeUrl({ delivery: input.deliveryUrl, click: input.clickUrl });
  if (unsafe) {
    const field = FORM_FIELD[unsafe.event as keyof typeof FORM_FIELD];
    const label = unsafe.event === "delivery" ? "Delivery URL" : "Click URL";
    throw new ServiceError("INVALID_INPUT", "Check the highlighted fields.", { [field]: `${label}: ${unsafe.message}` });
  }
  const view = await updateWebhookSettings(db, ctx, "live", {
    urls: { delivery: input.deliveryUrl, click: input.clickUrl },
    fields: { delivery: input.deliveryFields },
    events: input.events,
    signingSecret: input.signingSecret,
  });
  return toFormView(view);
}

/** Removes the signing secret (deliveries are then unsigned); audited when there was one. */
export async function clearWebhookSigningSecret(db: Db, ctx: ActorContext): Promise<WebhookFormView> {
  return toFormView(await updateWebhookSettings(db, ctx, "live", { clearSigningSecret: true }));
}

/** "Send test": a sample delivery event to the saved Delivery URL, now; the receiver's answer. */
export async function sendPortalTestEvent(db: Db, ctx: ActorContext): Promise<TestEventResult> {
  const sent = await sendTestEvent(db, { workspaceId: ctx.workspaceId, mode: "live", keyId: null, event: "delivery" });
  if (!sent) throw new ServiceError("INVALID_INPUT", "Save a Delivery URL first: the test event goes there.");
  return sent;
}
