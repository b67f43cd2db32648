import { z } from "zod";
import { defineAction } from "@/lib/portal/define-action";
import { webhookFormSchema, type WebhookFormInput } from "@/lib/webhooks/form-schema";
import { clearWebhookSigningSecret, saveWebhookForm, sendPortalTestEvent } from "@/lib/webhooks/form-service";

/**
 * The Webhooks page's server actions, as plain functions of (env, input) so tests
 * call exactly what the browser calls; ./server-actions/webhooks.ts ("use server")
 * binds them to the request's session. Each needs webhooks.manage (Owner, Admin,
 * Developer); a Viewer sees the page but changes nothing.
 */
export const webhookActions = {
  save: defineAction({ right: "webhooks.manage", schema: webhookFormSchema }, ({ db, context }, input) =>
    saveWebhookForm(db, context, input as WebhookFormInput),
  ),
  clearSecret: defineAction({ right: "webhooks.manage", schema: z.object({}) }, ({ db, context }) =>
    clearWebhookSigningSecret(db, context),
  ),
  sendTest: defineAction({ right: "webhooks.manage", schema: z.object({}) }, ({ db, context }) => sendPortalTestEvent(db, context)),
};
