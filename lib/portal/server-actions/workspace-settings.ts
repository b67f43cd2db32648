"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { defineAction, type ActionResult } from "@/lib/portal/define-action";
import { getPortalContext } from "@/lib/portal/session";
import { workspaceActions } from "@/lib/portal/workspace-actions";
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

type WorkspaceResult = ActionResult<{ id: number; name: string }>;
const bind = async (action: (typeof workspaceActions)[keyof typeof workspaceActions], values: unknown): Promise<WorkspaceResult> => {
  const result = await action({ db: await getDb(), context: await getPortalContext() }, values);
  // The switcher in the layout lists the workspaces: every page's header changes.
  if (result.ok) revalidatePath("/", "layout");
  return result.ok ? { ok: true, data: { id: result.data.id, name: result.data.name } } : result;
};

// POST (server action) — create a workspace in the person's organization.
export async function createWorkspaceAction(values: { name: string }): Promise<WorkspaceResult> {
  return bind(workspaceActions.create, values);
}

// POST (server action) — rename one of the organization's workspaces.
export async function renameWorkspaceAction(values: { id: number; name: string }): Promise<WorkspaceResult> {
  return bind(workspaceActions.rename, values);
}

// POST (server action) — archive one of the organization's workspaces (not the main one): its keys stop working.
export async function archiveWorkspaceAction(values: { id: number }): Promise<WorkspaceResult> {
  return bind(workspaceActions.archive, values);
}
