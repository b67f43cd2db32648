"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { defineAction, type ActionResult } from "@/lib/portal/define-action";
import { getPortalContext } from "@/lib/portal/session";
import { updateWorkspaceSettings, workspaceSettingsSchema, type WorkspaceSettingsInput } from "@/lib/workspaces/settings";

const update = defineAction({ right: "workspace.settings", schema: workspaceSettingsSchema }, ({ db, context }, input) =>
  updateWorkspaceSettings(db, context, input),
);

// POST (server action) — save the current workspace's settings.
export async function updateWorkspaceSettingsAction(values: WorkspaceSettingsInput): Promise<ActionResult<{ blockedCountries: string[] }>> {
  const result = await update({ db: await getDb(), context: await getPortalContext() }, values);
  if (result.ok) revalidatePath("/settings/workspace");
  return result;
}
