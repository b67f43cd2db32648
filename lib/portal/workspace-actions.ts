import { defineAction } from "@/lib/portal/define-action";
import {
  archiveWorkspace,
  archiveWorkspaceSchema,
  createWorkspace,
  createWorkspaceSchema,
  renameWorkspace,
  renameWorkspaceSchema,
} from "@/lib/workspaces/manage";

/**
 * Workspace settings' "Workspaces" section, as plain functions of (env, input) so
 * tests call what the browser calls; ./server-actions/workspace-settings.ts binds
 * them. workspaces.manage is an organization right: it works while an archived
 * workspace is current.
 */
export const workspaceActions = {
  create: defineAction({ right: "workspaces.manage", schema: createWorkspaceSchema }, ({ db, context }, input) =>
    createWorkspace(db, context, input),
  ),
  rename: defineAction({ right: "workspaces.manage", schema: renameWorkspaceSchema }, ({ db, context }, input) =>
    renameWorkspace(db, context, input),
  ),
  archive: defineAction({ right: "workspaces.manage", schema: archiveWorkspaceSchema }, ({ db, context }, input) =>
    archiveWorkspace(db, context, input),
  ),
};
