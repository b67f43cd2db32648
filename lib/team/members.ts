import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { apiKeys, formerMemberships, memberships, organizations, users, workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { endAllSessions } from "@/lib/auth/sessions";
import type { ActorContext } from "@/lib/context/actor";
import { ServiceError, notFound } from "@/lib/errors/service-error";
import { invalidateKeyLocally, notifyKeyChanged } from "@/lib/keys/verify";
import { hasPortalRight, ROLE_LABELS, type Role } from "@/lib/permissions/catalog";
import { grantRefusal, manageRefusal } from "./rules";

/**
 * The members of an organization: list, change a role, remove. Every function
 * takes an authorized ActorContext; a member of another organization is "not
 * found". Changes lock the organization's row, so two concurrent changes cannot
 * both leave it without an Owner.
 */

export type MemberView = {
  userId: number;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
  lastSignInAt: Date | null;
};

export async function listMembers(db: DbOrTx, organizationId: number): Promise<MemberView[]> {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      lastSignInAt: users.lastSignInAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(users.name), asc(users.id));
}

function actorRole(ctx: ActorContext): Role {
  // Members are managed by people in the portal, never by an API key.
  if (ctx.actor.kind !== "user" || !hasPortalRight(ctx.actor.role, "members.manage"))
    throw new ServiceError("FORBIDDEN", "Your role does not allow this.");
  return ctx.actor.role;
}

/** Serializes member changes of one organization (the last-Owner rule reads, then writes). */
export async function lockOrganization(tx: DbOrTx, organizationId: number): Promise<void> {
  await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId)).for("update");
}

async function memberOf(tx: DbOrTx, organizationId: number, userId: number) {
  const [row] = await tx
    .select({ userId: users.id, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  if (!row) throw notFound("Member");
  return row;
}

async function ownerCount(tx: DbOrTx, organizationId: number): Promise<number> {
  const [{ n }] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "owner")));
  return n;
}

/** Keys the member created in the organization's workspaces: their rights follow the creator's role (lib/keys/verify.ts). */
async function keysCreatedBy(tx: DbOrTx, organizationId: number, userId: number): Promise<string[]> {
  const rows = await tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.createdBy, userId),
        inArray(
          apiKeys.workspaceId,
          tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.organizationId, organizationId)),
        ),
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * Changes a member's role. It takes effect on their next page load (the role is
 * read with the session on every request) and at once for the keys they created
 * (every instance drops those keys from its cache).
 */
export async function changeMemberRole(db: Db, ctx: ActorContext, userId: number, role: Role): Promise<MemberView> {
  const mine = actorRole(ctx);
  let changedKeys: string[] = [];
  return db
    .transaction(async (tx) => {
      await lockOrganization(tx, ctx.organizationId);
      const member = await memberOf(tx, ctx.organizationId, userId);
      const refusal = manageRefusal(mine, member.role) ?? grantRefusal(mine, role);
      if (refusal) throw new ServiceError("FORBIDDEN", refusal, { role: refusal });
      if (member.role === role) throw new ServiceError("CONFLICT", `They are already ${article(role)}.`, { role: "Choose another role" });
      if (member.role === "owner" && (await ownerCount(tx, ctx.organizationId)) === 1) {
        const message = "The last Owner cannot be demoted. Make someone else an Owner first.";
        throw new ServiceError("CONFLICT", message, { role: message });
      }
      await tx
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.organizationId, ctx.organizationId), eq(memberships.userId, userId)));
      await recordAudit(tx, ctx, {
        action: "member.role_changed",
        targetType: "member",
        targetId: String(userId),
        changes: { role: { before: member.role, after: role } },
      });
      changedKeys = await keysCreatedBy(tx, ctx.organizationId, userId);
      for (const id of changedKeys) await notifyKeyChanged(tx, id);
      const [view] = (await listMembers(tx, ctx.organizationId)).filter((m) => m.userId === userId);
      return view;
    })
    .finally(() => changedKeys.forEach(invalidateKeyLocally));
}

/**
 * Removes a member (or, on their own row, lets an Owner or Admin leave). Their
 * sessions end in the same transaction: every instance refuses them at the next
 * request. Keys they created stay with the workspace, capped by the role they
 * held (recorded in former_memberships), so removal neither breaks nor widens them.
 */
export async function removeMember(db: Db, ctx: ActorContext, userId: number): Promise<{ userId: number; endedSessions: number }> {
  const mine = actorRole(ctx);
  return db.transaction(async (tx) => {
    await lockOrganization(tx, ctx.organizationId);
    const member = await memberOf(tx, ctx.organizationId, userId);
    const refusal = manageRefusal(mine, member.role);
    if (refusal) throw new ServiceError("FORBIDDEN", refusal);
    if (member.role === "owner" && (await ownerCount(tx, ctx.organizationId)) === 1)
      throw new ServiceError("CONFLICT", "The last Owner cannot be removed or leave. Make someone else an Owner first.");
    await tx.delete(memberships).where(and(eq(memberships.organizationId, ctx.organizationId), eq(memberships.userId, userId)));
    await tx
      .insert(formerMemberships)
      .values({ userId, organizationId: ctx.organizationId, role: member.role })
      .onConflictDoUpdate({
        target: [formerMemberships.userId, formerMemberships.organizationId],
        set: { role: member.role, removedAt: sql`now()` },
      });
    const endedSessions = await endAllSessions(tx, userId);
    await recordAudit(tx, ctx, {
      action: "member.removed",
      targetType: "member",
      targetId: String(userId),
      changes: { role: { before: member.role, after: null } },
    });
    return { userId, endedSessions };
  });
}

function article(role: Role): string {
  const label = ROLE_LABELS[role];
  return `${/^[AEIOU]/.test(label) ? "an" : "a"} ${label}`;
}
