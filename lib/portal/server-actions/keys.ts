"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import type { ActionEnv, ActionResult } from "@/lib/portal/define-action";
import { getPortalContext } from "@/lib/portal/session";
import { getJobs } from "@/lib/runtime/jobs";
import { keyActions } from "@/lib/portal/key-actions";
import type { CreateKeyFormValues, EditKeyFormValues } from "@/lib/keys/form-schema";
import type { CreatedKey } from "@/lib/keys/service";
import type { KeyView } from "@/lib/keys/view";

// The browser's entry points: each binds the request's session and workspace to
// the action definitions in ./actions (which authorize and validate).

async function env(): Promise<ActionEnv> {
  const [db, context] = await Promise.all([getDb(), getPortalContext()]);
  // Rolling and revoking enqueue key.rolled / key.revoked in their transaction (when subscribed).
  return { db, context, queue: () => getJobs().then((jobs) => jobs.queue) };
}

function refreshed<T>(result: ActionResult<T>): ActionResult<T> {
  if (result.ok) revalidatePath("/settings/api-keys", "layout");
  return result;
}

export async function createKeyAction(values: CreateKeyFormValues): Promise<ActionResult<CreatedKey>> {
  return refreshed(await keyActions.create(await env(), values));
}

export async function updateKeyAction(values: EditKeyFormValues): Promise<ActionResult<KeyView>> {
  return refreshed(await keyActions.update(await env(), values));
}

export async function setKeyEnabledAction(id: string, enabled: boolean): Promise<ActionResult<KeyView>> {
  return refreshed(await keyActions.setEnabled(await env(), { id, enabled }));
}

export async function rollKeyAction(id: string, graceSeconds: number): Promise<ActionResult<CreatedKey>> {
  return refreshed(await keyActions.roll(await env(), { id, graceSeconds }));
}

export async function revokeKeyAction(id: string): Promise<ActionResult<KeyView>> {
  return refreshed(await keyActions.revoke(await env(), { id }));
}
