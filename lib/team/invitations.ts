import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { invitations, memberships, organizations, users, workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { passwordProblem } from "@/lib/auth/schemas";
import type { ActorContext } from "@/lib/context/actor";
import { ServiceError, notFound } from "@/lib/errors/service-error";
import { ceilingOf } from "@/lib/permissions/math";
import { hasPortalRight, type Role } from "@/lib/permissions/catalog";
import { lockOrganization } from "./members";
import { grantRefusal } from "./rules";

/**
 * Invitations: a one-time link, shown once to whoever creates it. The token is
 * 256 bits from the OS CSPRNG; only its SHA-256 is stored (a high-entropy secret
 * needs no slow hash). A link works once, for 7 days, until revoked, and only for
 * the email it was made for.
 */

export const INVITATION_LIFETIME_DAYS = 7;

export type InvitationStatus = "pending" | "expired" | "revoked" | "accepted";

export type InvitationView = {
  id: number;
  email: string;
  role: Role;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  status: InvitationStatus;
};

export function invitationTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

function statusOf(row: { revokedAt: Date | null; acceptedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

const viewColumns = {
  id: invitations.id,
  email: invitations.email,
  role: invitations.role,
  invitedBy: users.name,
  createdAt: invitations.createdAt,
  expiresAt: invitations.expiresAt,
  revokedAt: invitations.revokedAt,
  acceptedAt: invitations.acceptedAt,
};

function toView(row: {
  id: number;
  email: string;
  role: Role;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  acceptedAt: Date | null;
}): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invitedBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    status: statusOf(row),
  };
}

/** Invitations not yet accepted or revoked (expired ones included, so they can be seen and cleared), newest first. */
export async function listOpenInvitations(db: DbOrTx, organizationId: number): Promise<InvitationView[]> {
  const rows = await db
    .select(viewColumns)
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.organizationId, organizationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt), desc(invitations.id));
  return rows.map(toView);
}

function inviterRole(ctx: ActorContext): Role {
  if (ctx.actor.kind !== "user" || !hasPortalRight(ctx.actor.role, "members.manage"))
    throw new ServiceError("FORBIDDEN", "Your role does not allow this.");
  return ctx.actor.role;
}

export type CreatedInvitation = { invitation: InvitationView; token: string };

/** Creates an invitation; the token is returned here once and never stored. */
export async function createInvitation(db: Db, ctx: ActorContext, input: { email: string; role: Role }): Promise<CreatedInvitation> {
  const mine = inviterRole(ctx);
  const email = input.email.trim().toLowerCase();
  const refusal = grantRefusal(mine, input.role);
  if (refusal) throw new ServiceError("FORBIDDEN", refusal, { role: refusal });
  const token = randomBytes(32).toString("base64url");
  return db.transaction(async (tx) => {
    await lockOrganization(tx, ctx.organizationId);
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, ctx.organizationId), eq(users.email, email)));
    if (member) throw new ServiceError("CONFLICT", "This person is already a member.", { email: "Already a member of this organization" });
    const [open] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.organizationId, ctx.organizationId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          sql`${invitations.expiresAt} > now()`,
        ),
      );
    if (open)
      throw new ServiceError("CONFLICT", "This email already has a pending invitation.", {
        email: "Already invited: revoke the pending invitation to make a new link",
      });
    const [row] = await tx
      .insert(invitations)
      .values({
        organizationId: ctx.organizationId,
        email,
        role: input.role,
        tokenHash: invitationTokenHash(token),
        invitedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        expiresAt: sql`now() + make_interval(days => ${INVITATION_LIFETIME_DAYS})`,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "member.invited",
      targetType: "invitation",
      targetId: String(row.id),
      changes: { email: { before: null, after: email }, role: { before: null, after: input.role } },
    });
    const [inviter] =
      ctx.actor.kind === "user" ? await tx.select({ name: users.name }).from(users).where(eq(users.id, ctx.actor.userId)) : [];
    return { invitation: toView({ ...row, invitedBy: inviter?.name ?? null }), token };
  });
}

/** Revokes a pending (or expired) invitation of the actor's organization; its link stops working at once. */
export async function revokeInvitation(db: Db, ctx: ActorContext, id: number): Promise<InvitationView> {
  const mine = inviterRole(ctx);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, id), eq(invitations.organizationId, ctx.organizationId)))
      .for("update");
    if (!row) throw notFound("Invitation");
    if (row.acceptedAt) throw new ServiceError("CONFLICT", "This invitation was already accepted.");
    if (row.revokedAt) throw new ServiceError("CONFLICT", "This invitation was already revoked.");
    const refusal = grantRefusal(mine, row.role);
    if (refusal) throw new ServiceError("FORBIDDEN", refusal);
    const [updated] = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(eq(invitations.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: "member.invitation_revoked",
      targetType: "invitation",
      targetId: String(id),
      changes: { revokedAt: { before: null, after: updated.revokedAt!.toISOString() } },
    });
    return toView({ ...updated, invitedBy: null });
  });
}

export type InvitationLookup =
  | { status: "unknown" }
  | {
      status: InvitationStatus;
      email: string;
      role: Role;
      organizationName: string;
      /** Whether a person with the invited email already has an account (they join with it). */
      hasAccount: boolean;
    };

/** What the invitation page shows for a link's token (no side effect). */
export async function lookupInvitation(db: DbOrTx, token: string): Promise<InvitationLookup> {
  const [row] = await db
    .select({ invitation: invitations, organizationName: organizations.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(eq(invitations.tokenHash, invitationTokenHash(token)));
  if (!row) return { status: "unknown" };
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, row.invitation.email));
  return {
    status: statusOf(row.invitation),
    email: row.invitation.email,
    role: row.invitation.role,
    organizationName: row.organizationName,
    hasAccount: Boolean(user),
  };
}

const REFUSALS: Record<Exclude<InvitationStatus, "pending">, string> = {
  expired: "This invitation has expired. Ask for a new one.",
  revoked: "This invitation was revoked. Ask for a new one.",
  accepted: "This invitation was already used.",
};

export type Accepted = { userId: number; email: string; organizationId: number; workspaceId: number; role: Role };

/**
 * Accepts an invitation: either as the signed-in person (`as: { userId }`, whose
 * email must be the invited one) or by creating the account (`as: { name, password }`,
 * only when no account has the invited email). The invitation row is locked, so a
 * link is used once even when opened twice at the same moment.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  as: { userId: number } | { name: string; password: string },
  address: string | null,
): Promise<Accepted> {
  // Hashed before the transaction: Argon2 takes a while and must not hold the lock.
  const passwordHash = "password" in as ? await hashPassword(as.password) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, invitationTokenHash(token)))
      .for("update");
    if (!row) throw new ServiceError("NOT_FOUND", "This invitation link is not valid.");
    const status = statusOf(row);
    if (status !== "pending") throw new ServiceError("CONFLICT", REFUSALS[status]);
    await lockOrganization(tx, row.organizationId);

    let userId: number;
    if ("userId" in as) {
      const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, as.userId));
      if (!user || user.email !== row.email)
        throw new ServiceError("FORBIDDEN", "This invitation is for another email address. Sign out, then open the link again.");
      userId = user.id;
      const [member] = await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.organizationId, row.organizationId), eq(memberships.userId, userId)));
      if (member) throw new ServiceError("CONFLICT", "You are already a member of this organization.");
    } else {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, row.email));
      if (existing) throw new ServiceError("CONFLICT", "An account with this email already exists. Sign in to join with it.");
      // The form's schema knows the name; only here is the invited email known.
      const problem = passwordProblem(as.password, [row.email, as.name]);
      if (problem) throw new ServiceError("INVALID_INPUT", problem, { password: problem });
      const [created] = await tx
        .insert(users)
        .values({ email: row.email, name: as.name.trim(), passwordHash: passwordHash! })
        .returning({ id: users.id });
      userId = created.id;
    }

    await tx.insert(memberships).values({ userId, organizationId: row.organizationId, role: row.role });
    await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()`, acceptedBy: userId })
      .where(eq(invitations.id, row.id));
    const [main] = await tx
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(and(eq(workspaces.organizationId, row.organizationId), eq(workspaces.isMain, true)));
    const ctx: ActorContext = {
      organizationId: row.organizationId,
      workspaceId: main.id,
      actor: { kind: "user", userId, role: row.role },
      ceiling: ceilingOf(row.role),
      address,
    };
    await recordAudit(tx, ctx, {
      action: "member.joined",
      targetType: "member",
      targetId: String(userId),
      changes: {
        email: { before: null, after: row.email },
        role: { before: null, after: row.role },
        invitation: { before: null, after: row.id },
      },
    });
    return { userId, email: row.email, organizationId: row.organizationId, workspaceId: main.id, role: row.role };
  });
}
