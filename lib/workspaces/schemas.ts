import { z } from "zod";

/** Workspace forms: the same schemas in the browser and in the actions (lib/portal/workspace-actions.ts). */
export const workspaceNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(50, "Use at most 50 characters")
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name) && name.isWellFormed(), "Use letters, digits, spaces and punctuation");

export const createWorkspaceSchema = z.object({ name: workspaceNameSchema });
export const renameWorkspaceSchema = z.object({ id: z.coerce.number().int().positive(), name: workspaceNameSchema });
export const archiveWorkspaceSchema = z.object({ id: z.coerce.number().int().positive() });
