"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import type { ActionEnv, ActionResult } from "@/lib/portal/define-action";
import { getPortalContext } from "@/lib/portal/session";
import { webhookActions } from "@/lib/portal/webhook-actions";
import type { WebhookFormValues } from "@/lib/webhooks/form-schema";
import type { WebhookFormView } from "@/lib/webhooks/form-service";
import type { TestEventResult } from "@/lib/webhooks/test-event";

// The browser's entry points: each binds the request's session and workspace to
// the action definitions in ../webhook-actions (which authorize and validate).

async function env(): Promise<ActionEnv> {
  const [db, context] = await Promise.all([getDb(), getPortalContext()]);
  return { db, context };
}

function refreshed<T>(result: ActionResult<T>): ActionResult<T> {
  if (result.ok) revalidatePath("/webhooks");
  return result;
}

// POST (server action) — save the Delivery URL, Click URL, delivery fields and, when typed, a new signing secret.
export async function saveWebhooksAction(values: WebhookFormValues): Promise<ActionResult<WebhookFormView>> {
  return refreshed(await webhookActions.save(await env(), values));
}

// POST (server action) — remove the signing secret.
export async function clearWebhookSecretAction(): Promise<ActionResult<WebhookFormView>> {
  return refreshed(await webhookActions.clearSecret(await env(), {}));
}

// POST (server action) — send a test delivery event now; the receiver's answer (the attempt joins the Delivery log).
export async function sendWebhookTestAction(): Promise<ActionResult<TestEventResult>> {
  return refreshed(await webhookActions.sendTest(await env(), {}));
}
