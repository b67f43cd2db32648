"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import type { ActionEnv, ActionResult } from "@/lib/portal/define-action";
import { composeActions } from "@/lib/portal/compose-actions";
import { getPortalContext } from "@/lib/portal/session";
import { getJobs } from "@/lib/runtime/jobs";
import type { ComposePreviewValues, ComposeSendValues } from "@/lib/sms/compose";
import type { PortalSendResult } from "@/lib/sms/portal-send";
import type { Preview } from "@/lib/sms/preview";

// The browser's entry points: each binds the request's session and workspace to
// the action definitions in ../compose-actions (which authorize and validate).

async function env(): Promise<ActionEnv> {
  const [db, context] = await Promise.all([getDb(), getPortalContext()]);
  return { db, context };
}

// POST (server action) — what sending these values would do (nothing stored or billed).
export async function previewMessageAction(values: ComposePreviewValues): Promise<ActionResult<Preview>> {
  return composeActions.preview(await env(), values);
}

// POST (server action) — send the composer's message, in test mode unless live was chosen and confirmed.
export async function sendMessageAction(values: ComposeSendValues): Promise<ActionResult<PortalSendResult>> {
  const jobs = await getJobs();
  const result = await composeActions.send({ queue: jobs.queue, carriers: jobs.carriers })(await env(), values);
  if (result.ok) revalidatePath("/", "layout");
  return result;
}
