import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { memberships, organizations, users, workspaces } from "@/db/schema";
import type { Role } from "@/lib/permissions/catalog";
import { ceilingOf } from "@/lib/permissions/math";
import type { ActorContext } from "@/lib/context/actor";

export type WorkspaceSummary = { id: number; name: string; isMain: boolean };

export type PortalContext = ActorContext & {
  user: { id: number; email: string; name: string };
  role: Role;
  organization: { id: number; name: string };
  workspace: WorkspaceSummary & { currency: string };
  workspaces: WorkspaceSummary[];
};

/**
 * Resolves who is acting and in which workspace. `requestedWorkspaceId` (from the
 * cookie) is honoured only when the person is a member of its organization; any
 * other value falls back to their main workspace. Null when the user is gone or
 * belongs to no organization.
 */
export async function loadPortalContext(
  db: DbOrTx,
  userId: number,
  requestedWorkspaceId: number | null,
  address: string | null,
): Promise<PortalContext | null> {
  const rows = await db
    .select({
      user: { id: users.id, email: users.email, name: users.name },
      role: memberships.role,
      organization: { id: organizations.id, name: organizations.name },
      workspace: { id: workspaces.id, name: workspaces.name, isMain: workspaces.isMain, currency: workspaces.currency },
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .innerJoin(workspaces, eq(workspaces.organizationId, organizations.id))
    .where(eq(users.id, userId))
    .orderBy(asc(organizations.id), asc(workspaces.id));
  if (rows.length === 0) return null;

  const current = rows.find((r) => r.workspace.id === requestedWorkspaceId) ?? rows.find((r) => r.workspace.isMain) ?? rows[0];
  const sameOrg = rows.filter((r) => r.organization.id === current.organization.id);
  return {
    user: current.user,
    role: current.role,
    organization: current.organization,
    workspace: current.workspace,
    workspaces: sameOrg.map((r) => ({ id: r.workspace.id, name: r.workspace.name, isMain: r.workspace.isMain })),
    workspaceId: current.workspace.id,
    organizationId: current.organization.id,
    actor: { kind: "user", userId, role: current.role },
    ceiling: ceilingOf(current.role),
    address,
  };
}

/** For tests and scripts: a member's context in a given workspace. */
export async function contextFor(db: DbOrTx, userId: number, workspaceId: number, address: string | null = "127.0.0.1") {
  const context = await loadPortalContext(db, userId, workspaceId, address);
  if (!context || context.workspaceId !== workspaceId) throw new Error(`user ${userId} is not a member of workspace ${workspaceId}`);
  return context;
}

export async function isMemberOfWorkspace(db: DbOrTx, userId: number, workspaceId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .innerJoin(memberships, and(eq(memberships.organizationId, workspaces.organizationId), eq(memberships.userId, userId)))
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  return Boolean(row);
}
