import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { memberships, organizations, sessions, userTwoFactor, users, workspaces } from "@/db/schema";
import { liveSession, touchSession } from "@/lib/auth/sessions";
import { log } from "@/lib/log";
import type { Role } from "@/lib/permissions/catalog";
import { ceilingOf } from "@/lib/permissions/math";
import type { ActorContext } from "@/lib/context/actor";

/** `archived`: its keys are refused and its data is read-only (the organization's own actions still work). */
export type WorkspaceSummary = { id: number; name: string; isMain: boolean; archived: boolean };

export type PortalContext = ActorContext & {
  user: { id: number; email: string; name: string };
  role: Role;
  organization: { id: number; name: string };
  workspace: WorkspaceSummary & { currency: string };
  workspaces: WorkspaceSummary[];
  /** The signed-in session's row id (lib/auth/sessions.ts); null for a context made by a test or script. */
  sessionId: string | null;
  /** Two-factor sign-in: whether the person has it on, and whether their organization requires it (then pages send them to set it up). */
  twoFactor: { enabled: boolean; required: boolean };
};

/**
 * Resolves who is acting and in which workspace, for a signed-in session: null
 * when that session is missing, revoked or expired (signed out), or when the user
 * is gone or belongs to no organization. The session row is joined into the same
 * query: one round trip per request. `requestedWorkspaceId` (from the cookie) is
 * honoured only when the person is a member of its organization; any other value
 * falls back to their main workspace.
 */
export async function loadPortalContext(
  db: DbOrTx,
  session: { userId: number; sessionId: string },
  requestedWorkspaceId: number | null,
  address: string | null,
): Promise<PortalContext | null> {
  const context = await queryContext(db, session.userId, session.sessionId, requestedWorkspaceId, address);
  if (!context) return null;
  // At most once a minute per session: a second statement then, never on most requests.
  if (context.lastSeenAt) {
    await touchSession(db, session.sessionId, context.lastSeenAt).catch((error) =>
      log.warn({ err: error }, "session activity not recorded"),
    );
  }
  return context.value;
}

async function queryContext(
  db: DbOrTx,
  userId: number,
  sessionId: string | null,
  requestedWorkspaceId: number | null,
  address: string | null,
): Promise<{ value: PortalContext; lastSeenAt: Date | null } | null> {
  const base = db
    .select({
      user: { id: users.id, email: users.email, name: users.name },
      role: memberships.role,
      organization: { id: organizations.id, name: organizations.name },
      requireTwoFactor: organizations.requireTwoFactor,
      twoFactorEnabledAt: userTwoFactor.enabledAt,
      workspace: {
        id: workspaces.id,
        name: workspaces.name,
        isMain: workspaces.isMain,
        archived: sql<boolean>`${workspaces.archivedAt} is not null`,
        currency: workspaces.currency,
      },
      lastSeenAt: sessionId ? sessions.lastSeenAt : sql<null>`null`,
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .innerJoin(workspaces, eq(workspaces.organizationId, organizations.id))
    .leftJoin(userTwoFactor, eq(userTwoFactor.userId, users.id))
    .$dynamic();
  const query = sessionId ? base.innerJoin(sessions, and(eq(sessions.id, sessionId), eq(sessions.userId, users.id), liveSession())) : base;
  const rows = await query.where(eq(users.id, userId)).orderBy(asc(organizations.id), asc(workspaces.id));
  if (rows.length === 0) return null;

  const current = rows.find((r) => r.workspace.id === requestedWorkspaceId) ?? rows.find((r) => r.workspace.isMain) ?? rows[0];
  const sameOrg = rows.filter((r) => r.organization.id === current.organization.id);
  const value: PortalContext = {
    user: current.user,
    role: current.role,
    organization: current.organization,
    workspace: current.workspace,
    workspaces: sameOrg.map((r) => ({
      id: r.workspace.id,
      name: r.workspace.name,
      isMain: r.workspace.isMain,
      archived: r.workspace.archived,
    })),
    workspaceId: current.workspace.id,
    organizationId: current.organization.id,
    actor: { kind: "user", userId, role: current.role },
    ceiling: ceilingOf(current.role),
    address,
    sessionId,
    twoFactor: { enabled: current.twoFactorEnabledAt !== null, required: current.requireTwoFactor },
  };
  return { value, lastSeenAt: current.lastSeenAt };
}

/** For tests and scripts: a member's context in a given workspace, without a session. */
export async function contextFor(db: DbOrTx, userId: number, workspaceId: number, address: string | null = "127.0.0.1") {
  const context = (await queryContext(db, userId, null, workspaceId, address))?.value;
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
