/**
 * The Webhooks page's settings form: the same schema in the browser (react-hook-form)
 * and in the server action, built on the API's own checks (./http-url), so the
 * portal and PUT /user/webhooks accept and refuse the same URLs and secrets.
 * Browser-safe. Where a URL's name points is checked on save, on the server
 * (./form-service.ts, with ./url-safety).
 */
import { z } from "zod";
import type { EventType } from "@/db/schema";
import { EVENT_NAMES } from "./event-names";
import { DELIVERY_FIELDS, type DeliveryField } from "./fields";
import { checkSigningSecret, checkWebhookUrl, type Checked } from "./http-url";

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** A string checked by one of the shared checks; its message, as a sentence, by the field. */
function checkedString<T>(check: (value: unknown) => Checked<T>, label: string) {
  return z.string({ error: `${label} must be text` }).transform((value, ctx): T => {
    const checked = check(value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: "custom", message: `${label}: ${checked.message}` });
    return z.NEVER;
  });
}

export const webhookFormSchema = z.object({
  /** Blank turns delivery events off. */
  deliveryUrl: checkedString(checkWebhookUrl, "Delivery URL"),
  /** Blank turns click events off. */
  clickUrl: checkedString(checkWebhookUrl, "Click URL"),
  deliveryFields: z
    .array(z.enum(DELIVERY_FIELDS, { error: "Choose fields from the list" }), { error: "Choose fields from the list" })
    .min(1, "Choose at least one field"),
  /** The events to send (none at all is allowed: nothing is sent). */
  events: z.array(z.enum(EVENT_NAMES as [EventType, ...EventType[]], { error: "Choose events from the list" }), {
    error: "Choose events from the list",
  }),
  /** Write-only: blank keeps the current secret; anything else sets or replaces it. */
  signingSecret: z.string({ error: "Signing secret must be text" }).transform((value, ctx): string | undefined => {
    if (value === "") return undefined;
    const checked = checkSigningSecret(value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: "custom", message: sentence(`signing secret ${checked.message}`) });
    return z.NEVER;
  }),
});

export type WebhookFormValues = z.input<typeof webhookFormSchema>;
export type WebhookFormInput = z.output<typeof webhookFormSchema> & { deliveryFields: DeliveryField[] };
