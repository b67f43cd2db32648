import { and, asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, DbOrTx } from "@/db";
import { workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import type { ActorContext } from "@/lib/context/actor";
import { notFound, ServiceError } from "@/lib/errors/service-error";
import { invalidateKeyLocally, notifyWorkspaceKeysChanged } from "@/lib/keys/verify";
import type { archiveWorkspaceSchema, createWorkspaceSchema, renameWorkspaceSchema } from "./schemas";

export { archiveWorkspaceSchema, createWorkspaceSchema, renameWorkspaceSchema } from "./schemas";

/**
 * The organization's workspaces: create, rename, archive. These act on the
 * organization (ctx.organizationId), whichever workspace is current; another
 * organization's workspace is "not found". Archiving is final here: the main
 * workspace cannot be archived, an archived one cannot be renamed, its keys are
 * refused at once (API_KEY_INACTIVE, like revoked keys) and its data stays
 * readable.
 */

export type WorkspaceRow = { id: number; name: string; isMain: boolean; archivedAt: Date | null; createdAt: Date };

const columns = {
  id: workspaces.id,
  name: workspaces.name,
  isMain: workspaces.isMain,
  archivedAt: workspaces.archivedAt,
  createdAt: workspaces.createdAt,
};

const NAME_TAKEN = "A workspace of your organization already has this name";
const isNameTaken = (error: unknown) =>
  (error as { code?: string; cause?: { code?: string } })?.code === "23505" ||
  (error as { cause?: { code?: string } })?.cause?.code === "23505";

/** The organization's workspaces, main first, then by name (the Workspace settings page). */
export function listWorkspaces(db: DbOrTx, organizationId: number): Promise<WorkspaceRow[]> {
  return db
    .select(columns)
    .from(workspaces)
    .where(eq(workspaces.organizationId, organizationId))
    .orderBy(sql`${workspaces.isMain} desc`, asc(sql`lower(${workspaces.name})`), asc(workspaces.id));
}

async function lockWorkspace(tx: DbOrTx, ctx: ActorContext, id: number): Promise<WorkspaceRow> {
  const [row] = await tx
    .select(columns)
    .from(workspaces)
    .where(and(eq(workspaces.id, id), eq(workspaces.organizationId, ctx.organizationId)))
    .for("update");
  if (!row) throw notFound("Workspace");
  return row;
}

/** Audited in the workspace it concerns (so its history stays with it), by the organization's actor. */
const inWorkspace = (ctx: ActorContext, workspaceId: number): ActorContext => ({ ...ctx, workspaceId });

export async function createWorkspace(db: Db, ctx: ActorContext, input: z.output<typeof createWorkspaceSchema>): Promise<WorkspaceRow> {
  try {
    return await db.transaction(async (tx) => {
      const [created] = await tx.insert(workspaces).values({ organizationId: ctx.organizationId, name: input.name }).returning(columns);
      await recordAudit(tx, inWorkspace(ctx, created.id), {
        action: "workspace.create",
        targetType: "workspace",
        targetId: String(created.id),
        changes: { name: { before: null, after: created.name } },
      });
      return created;
    });
  } catch (error) {
    if (isNameTaken(error)) throw new ServiceError("CONFLICT", NAME_TAKEN, { name: NAME_TAKEN });
    throw error;
  }
}

export async function renameWorkspace(db: Db, ctx: ActorContext, input: z.output<typeof renameWorkspaceSchema>): Promise<WorkspaceRow> {
  try {
    return await db.transaction(async (tx) => {
      const row = await lockWorkspace(tx, ctx, input.id);
      if (row.archivedAt) throw new ServiceError("CONFLICT", "This workspace is archived and can no longer be changed");
      if (row.name === input.name) return row;
      const [renamed] = await tx.update(workspaces).set({ name: input.name }).where(eq(workspaces.id, row.id)).returning(columns);
      await recordAudit(tx, inWorkspace(ctx, row.id), {
        action: "workspace.rename",
        targetType: "workspace",
        targetId: String(row.id),
        changes: { name: { before: row.name, after: renamed.name } },
      });
      return renamed;
    });
  } catch (error) {
    if (isNameTaken(error)) throw new ServiceError("CONFLICT", NAME_TAKEN, { name: NAME_TAKEN });
    throw error;
  }
}

/**
 * Archives a workspace: its keys stop working at once on every instance (each
 * key's cache entry is dropped through the same notification a revoke sends, and
 * the guard's key lookup reads archived_at in its join), its data stays.
 */
export async function archiveWorkspace(db: Db, ctx: ActorContext, input: z.output<typeof archiveWorkspaceSchema>): Promise<WorkspaceRow> {
  let keyIds: string[] = [];
  return db
    .transaction(async (tx) => {
      const row = await lockWorkspace(tx, ctx, input.id);
      if (row.isMain) throw new ServiceError("CONFLICT", "The main workspace cannot be archived");
      if (row.archivedAt) throw new ServiceError("CONFLICT", "This workspace is already archived");
      const [archived] = await tx
        .update(workspaces)
        .set({ archivedAt: sql`now()` })
        .where(eq(workspaces.id, row.id))
        .returning(columns);
      await recordAudit(tx, inWorkspace(ctx, row.id), {
        action: "workspace.archive",
        targetType: "workspace",
        targetId: String(row.id),
        changes: { archivedAt: { before: null, after: archived.archivedAt!.toISOString() } },
      });
      keyIds = await notifyWorkspaceKeysChanged(tx, row.id);
      return archived;
    })
    .finally(() => keyIds.forEach(invalidateKeyLocally));
}
