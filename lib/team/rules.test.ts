/**
 * The Team rules against a real database (Postgres when DATABASE_URL is set, else
 * PGlite), through the same action definitions the browser calls
 * (lib/portal/team-actions.ts): the roles matrix for invitations, role changes and
 * removals, the last Owner, the invitation lifecycle, other organizations' ids,
 * sessions ending on removal, and a removed creator's keys.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import { auditEvents, invitations, memberships, organizations, sessions, users, workspaces } from "@/db/schema";
import { startSession } from "@/lib/auth/sessions";
import { candidateHashes, loadKey } from "@/lib/keys/verify";
import { ROLES, type Role } from "@/lib/permissions/catalog";
import type { ActionResult } from "@/lib/portal/define-action";
import { invitationActions, teamActions } from "@/lib/portal/team-actions";
import { contextFor, loadPortalContext, type PortalContext } from "@/lib/workspaces/context";
import { makeKey } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { ACCEPT_LIMIT } from "./accept-limits";
import { listMembers } from "./members";

let t: TestDatabase;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.close();
});

// ---------------------------------------------------------------------------
// Helpers

let counter = 0;
const uniqueEmail = (label: string) => `${label}-${++counter}-${randomBytes(3).toString("hex")}@team.test`;
/** Every call from its own address, so the acceptance limit only bites where a test means it to. */
const freshAddress = () => `10.${(counter >> 8) & 255}.${counter & 255}.${++counter & 255}`;

async function addUser(email = uniqueEmail("user"), name = "Member"): Promise<number> {
  const [user] = await db.insert(users).values({ email, name, passwordHash: "x" }).returning({ id: users.id });
  return user.id;
}

async function addMember(role: Role, organizationId = t.seed.organizationId): Promise<number> {
  const userId = await addUser(uniqueEmail(role));
  await db.insert(memberships).values({ userId, organizationId, role });
  return userId;
}

/** A new organization with its main workspace and one Owner. */
async function newOrganization(): Promise<{ organizationId: number; workspaceId: number; ownerId: number }> {
  const [org] = await db.insert(organizations).values({ name: "Other" }).returning();
  const [ws] = await db.insert(workspaces).values({ organizationId: org.id, name: "Main", isMain: true }).returning();
  const ownerId = await addMember("owner", org.id);
  return { organizationId: org.id, workspaceId: ws.id, ownerId };
}

async function envAs(userId: number, workspaceId = t.seed.mainWorkspaceId) {
  return { db, context: await contextFor(db, userId, workspaceId) };
}

async function roleOf(userId: number, organizationId = t.seed.organizationId): Promise<Role | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)));
  return row?.role ?? null;
}

async function auditCount(action: string, targetId: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));
  return n;
}

function expectOk<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result.data;
}

async function invite(actor: number, email: string, role: Role, workspaceId = t.seed.mainWorkspaceId) {
  return teamActions.invite(await envAs(actor, workspaceId), { email, role });
}

const ownerId = () => t.seed.userIds.owner;
const acceptEnv = (context: PortalContext | null = null) => ({ db, context, address: freshAddress() });

// ---------------------------------------------------------------------------
// The roles matrix, written out as the rules say it (not derived from lib/team/rules.ts)

/** Who may hand out which role: nobody above their own; only an Owner makes an Owner; only Owners and Admins manage members. */
const MAY_GRANT: Record<Role, readonly Role[]> = {
  owner: ["owner", "admin", "developer", "billing", "viewer"],
  admin: ["admin", "developer", "billing", "viewer"],
  developer: [],
  billing: [],
  viewer: [],
};
/** Whose role may they change, or whom may they remove: an Owner only by an Owner. */
const MAY_MANAGE: Record<Role, readonly Role[]> = MAY_GRANT;

describe("the roles matrix", () => {
  for (const actor of ROLES) {
    for (const role of ROLES) {
      const allowed = MAY_GRANT[actor].includes(role);
      it(`${actor} ${allowed ? "may" : "may not"} invite someone as ${role}`, async () => {
        const actorId = await addMember(actor);
        const email = uniqueEmail("invitee");
        const result = await invite(actorId, email, role);
        expect(result.ok).toBe(allowed);
        const [{ n }] = await db.select({ n: count() }).from(invitations).where(eq(invitations.email, email));
        expect(n).toBe(allowed ? 1 : 0);
      });
    }
  }

  for (const actor of ROLES) {
    for (const from of ROLES) {
      for (const to of ROLES) {
        if (from === to) continue;
        const allowed = MAY_MANAGE[actor].includes(from) && MAY_GRANT[actor].includes(to);
        it(`${actor} ${allowed ? "may" : "may not"} change a ${from} to ${to}`, async () => {
          const actorId = await addMember(actor);
          const target = await addMember(from);
          const result = await teamActions.changeRole(await envAs(actorId), { userId: target, role: to });
          expect(result.ok, result.ok ? "" : result.error).toBe(allowed);
          expect(await roleOf(target)).toBe(allowed ? to : from);
          expect(await auditCount("member.role_changed", String(target))).toBe(allowed ? 1 : 0);
        });
      }
    }
  }

  for (const actor of ROLES) {
    for (const target of ROLES) {
      const allowed = MAY_MANAGE[actor].includes(target);
      it(`${actor} ${allowed ? "may" : "may not"} remove a ${target}`, async () => {
        const actorId = await addMember(actor);
        const targetId = await addMember(target);
        const result = await teamActions.remove(await envAs(actorId), { userId: targetId });
        expect(result.ok).toBe(allowed);
        expect(await roleOf(targetId)).toBe(allowed ? null : target);
        expect(await auditCount("member.removed", String(targetId))).toBe(allowed ? 1 : 0);
      });
    }
  }
});

describe("the last Owner", () => {
  it("cannot be demoted, by themselves or anyone", async () => {
    const org = await newOrganization();
    const result = await teamActions.changeRole(await envAs(org.ownerId, org.workspaceId), { userId: org.ownerId, role: "admin" });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("last Owner") });
    expect(await roleOf(org.ownerId, org.organizationId)).toBe("owner");
  });

  it("cannot leave (remove themselves)", async () => {
    const org = await newOrganization();
    const result = await teamActions.remove(await envAs(org.ownerId, org.workspaceId), { userId: org.ownerId });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("last Owner") });
    expect(await roleOf(org.ownerId, org.organizationId)).toBe("owner");
  });

  it("may leave once another Owner exists", async () => {
    const org = await newOrganization();
    const second = await addMember("owner", org.organizationId);
    expectOk(await teamActions.remove(await envAs(org.ownerId, org.workspaceId), { userId: org.ownerId }));
    expect(await roleOf(second, org.organizationId)).toBe("owner");
  });

  it("survives two Owners demoting each other at the same moment: one change wins, one Owner remains", async () => {
    const org = await newOrganization();
    const second = await addMember("owner", org.organizationId);
    const [a, b] = await Promise.all([
      envAs(org.ownerId, org.workspaceId).then((env) => teamActions.changeRole(env, { userId: second, role: "admin" })),
      envAs(second, org.workspaceId).then((env) => teamActions.changeRole(env, { userId: org.ownerId, role: "admin" })),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const [{ n }] = await db
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.organizationId, org.organizationId), eq(memberships.role, "owner")));
    expect(n).toBe(1);
  });
});

describe("invitations", () => {
  it("makes a 256-bit token, stores only its SHA-256 and lets it expire in 7 days; one audit event", async () => {
    const email = uniqueEmail("new");
    const { invitation, token } = expectOk(await invite(ownerId(), email.toUpperCase(), "developer"));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(invitation).toMatchObject({ email, role: "developer", status: "pending" });
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("base64url"));
    expect(JSON.stringify(row)).not.toContain(token);
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    expect(await auditCount("member.invited", String(invitation.id))).toBe(1);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, String(invitation.id)));
    expect(JSON.stringify(event.changes)).not.toContain(token);
  });

  it("refuses to invite an existing member or an email with a pending invitation, with a message by the field", async () => {
    const member = await invite(ownerId(), "developer@acme.test", "viewer");
    expect(member).toMatchObject({ ok: false, fieldErrors: { email: expect.stringContaining("Already a member") } });
    const email = uniqueEmail("twice");
    expectOk(await invite(ownerId(), email, "viewer"));
    expect(await invite(ownerId(), email, "viewer")).toMatchObject({ ok: false, fieldErrors: { email: expect.any(String) } });
  });

  it("refuses bad input by the field and writes nothing", async () => {
    const result = await teamActions.invite(await envAs(ownerId()), { email: "not-an-email", role: "emperor" });
    expect(result).toMatchObject({ ok: false, fieldErrors: { email: expect.any(String), role: expect.any(String) } });
  });

  it("creates the invitee's account, joins them with the invited role, and works only once", async () => {
    const email = uniqueEmail("joiner");
    const { token, invitation } = expectOk(await invite(ownerId(), email, "developer"));
    const joined = expectOk(
      await invitationActions.createAccount(acceptEnv(), token, { name: "Jo Iner", password: "Plum-Harbor-47-Quietly" }),
    );
    expect(joined).toMatchObject({ organizationId: t.seed.organizationId, workspaceId: t.seed.mainWorkspaceId, role: "developer" });
    expect(await roleOf(joined.userId)).toBe("developer");
    const [user] = await db.select().from(users).where(eq(users.id, joined.userId));
    expect(user).toMatchObject({ email, name: "Jo Iner" });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await auditCount("member.joined", String(joined.userId))).toBe(1);
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row.acceptedBy).toBe(joined.userId);

    const again = await invitationActions.createAccount(acceptEnv(), token, { name: "Someone", password: "Ferris-Lantern-93-Oak" });
    expect(again).toMatchObject({ ok: false, error: expect.stringContaining("already used") });
    const context = await contextFor(db, joined.userId, t.seed.mainWorkspaceId);
    expect(await invitationActions.join(acceptEnv(context), token)).toMatchObject({
      ok: false,
      error: expect.stringContaining("already used"),
    });
  });

  it("refuses a short password by the field and writes nothing", async () => {
    const email = uniqueEmail("short");
    const { token } = expectOk(await invite(ownerId(), email, "viewer"));
    const result = await invitationActions.createAccount(acceptEnv(), token, { name: "Short", password: "short" });
    expect(result).toMatchObject({ ok: false, fieldErrors: { password: expect.any(String) } });
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it("joins a person with an existing account when they are signed in as the invited email", async () => {
    const other = await newOrganization();
    const [owner] = await db.select({ email: users.email }).from(users).where(eq(users.id, other.ownerId));
    const { token } = expectOk(await invite(ownerId(), owner.email, "billing"));
    const context = await contextFor(db, other.ownerId, other.workspaceId);
    const joined = expectOk(await invitationActions.join(acceptEnv(context), token));
    expect(joined).toMatchObject({ userId: other.ownerId, organizationId: t.seed.organizationId, role: "billing" });
    expect(await roleOf(other.ownerId)).toBe("billing");
    expect(await roleOf(other.ownerId, other.organizationId)).toBe("owner");
  });

  it("refuses another email than the invited one when the invitee is signed in as someone else", async () => {
    const email = uniqueEmail("meant");
    const { token, invitation } = expectOk(await invite(ownerId(), email, "admin"));
    const other = await newOrganization();
    const context = await contextFor(db, other.ownerId, other.workspaceId);
    expect(await invitationActions.join(acceptEnv(context), token)).toMatchObject({
      ok: false,
      error: expect.stringContaining("another email"),
    });
    // A signed-in person cannot create the invited account either.
    expect(
      await invitationActions.createAccount(acceptEnv(context), token, { name: "X", password: "Ferris-Lantern-93-Oak" }),
    ).toMatchObject({
      ok: false,
    });
    expect(await roleOf(other.ownerId)).toBeNull();
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row.acceptedAt).toBeNull();
  });

  it("refuses creating an account when the invited email already has one", async () => {
    const other = await newOrganization();
    const [owner] = await db.select({ email: users.email }).from(users).where(eq(users.id, other.ownerId));
    const { token } = expectOk(await invite(ownerId(), owner.email, "viewer"));
    const result = await invitationActions.createAccount(acceptEnv(), token, { name: "Hijack", password: "Ferris-Lantern-93-Oak" });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("already exists") });
    expect(await roleOf(other.ownerId)).toBeNull();
  });

  it("refuses an expired link", async () => {
    const { token, invitation } = expectOk(await invite(ownerId(), uniqueEmail("late"), "viewer"));
    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(invitations.id, invitation.id));
    const result = await invitationActions.createAccount(acceptEnv(), token, { name: "Late", password: "Ferris-Lantern-93-Oak" });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("expired") });
  });

  it("refuses a revoked link; revoking is audited once and refused twice", async () => {
    const { token, invitation } = expectOk(await invite(ownerId(), uniqueEmail("revoked"), "viewer"));
    expectOk(await teamActions.revokeInvitation(await envAs(ownerId()), { id: invitation.id }));
    expect(await auditCount("member.invitation_revoked", String(invitation.id))).toBe(1);
    expect(await teamActions.revokeInvitation(await envAs(ownerId()), { id: invitation.id })).toMatchObject({ ok: false });
    const result = await invitationActions.createAccount(acceptEnv(), token, { name: "Rev", password: "Ferris-Lantern-93-Oak" });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("revoked") });
  });

  it("refuses a made-up or malformed token", async () => {
    const madeUp = randomBytes(32).toString("base64url");
    expect(await invitationActions.createAccount(acceptEnv(), madeUp, { name: "Guess", password: "Ferris-Lantern-93-Oak" })).toMatchObject({
      ok: false,
      error: expect.stringContaining("not valid"),
    });
    expect(
      await invitationActions.createAccount(acceptEnv(), "../../etc", { name: "Guess", password: "Ferris-Lantern-93-Oak" }),
    ).toMatchObject({
      ok: false,
    });
  });

  it("limits acceptance attempts per address", async () => {
    const address = "192.0.2.77";
    const madeUp = randomBytes(32).toString("base64url");
    const attempt = () =>
      invitationActions.createAccount({ db, context: null, address }, madeUp, { name: "G", password: "Ferris-Lantern-93-Oak" });
    for (let i = 0; i < ACCEPT_LIMIT.points; i++)
      expect(await attempt()).toMatchObject({ ok: false, error: expect.stringContaining("not valid") });
    expect(await attempt()).toMatchObject({ ok: false, error: expect.stringContaining("Too many attempts") });
    // A valid link from that address is refused too, until the window passes.
    const { token } = expectOk(await invite(ownerId(), uniqueEmail("limited"), "viewer"));
    const valid = await invitationActions.createAccount({ db, context: null, address }, token, {
      name: "G",
      password: "Ferris-Lantern-93-Oak",
    });
    expect(valid).toMatchObject({ ok: false, error: expect.stringContaining("Too many attempts") });
  });
});

describe("another organization's ids are not found", () => {
  it("refuses to change the role of, or remove, a member of another organization", async () => {
    const other = await newOrganization();
    const theirs = await addMember("developer", other.organizationId);
    const env = await envAs(ownerId());
    expect(await teamActions.changeRole(env, { userId: theirs, role: "viewer" })).toMatchObject({ ok: false, error: "Member not found" });
    expect(await teamActions.remove(env, { userId: theirs })).toMatchObject({ ok: false, error: "Member not found" });
    expect(await roleOf(theirs, other.organizationId)).toBe("developer");
  });

  it("refuses to revoke another organization's invitation", async () => {
    const other = await newOrganization();
    const { invitation } = expectOk(await invite(other.ownerId, uniqueEmail("theirs"), "viewer", other.workspaceId));
    expect(await teamActions.revokeInvitation(await envAs(ownerId()), { id: invitation.id })).toMatchObject({
      ok: false,
      error: "Invitation not found",
    });
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row.revokedAt).toBeNull();
  });

  it("lists only the organization's own members", async () => {
    const other = await newOrganization();
    const members = await listMembers(db, t.seed.organizationId);
    expect(members.some((m) => m.userId === other.ownerId)).toBe(false);
  });
});

describe("sessions and keys", () => {
  async function signedIn(userId: number) {
    const { id } = await startSession(db, { userId, address: "127.0.0.1", userAgent: "test" });
    return () => loadPortalContext(db, { userId, sessionId: id }, null, "127.0.0.1");
  }

  it("records the last sign-in when a session starts", async () => {
    const userId = await addMember("viewer");
    await signedIn(userId);
    const [member] = (await listMembers(db, t.seed.organizationId)).filter((m) => m.userId === userId);
    expect(member.lastSignInAt).toBeInstanceOf(Date);
  });

  it("ends every session of a removed member at once", async () => {
    const userId = await addMember("developer");
    const [first, second] = [await signedIn(userId), await signedIn(userId)];
    expect(await first()).not.toBeNull();
    const removed = expectOk(await teamActions.remove(await envAs(ownerId()), { userId }));
    expect(removed.endedSessions).toBe(2);
    expect(await first()).toBeNull();
    expect(await second()).toBeNull();
    const live = await db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), sql`${sessions.revokedAt} IS NULL`));
    expect(live[0].n).toBe(0);
  });

  it("applies a role change on the member's next page load, without signing them out", async () => {
    const userId = await addMember("developer");
    const load = await signedIn(userId);
    expect((await load())?.role).toBe("developer");
    expectOk(await teamActions.changeRole(await envAs(ownerId()), { userId, role: "viewer" }));
    expect((await load())?.role).toBe("viewer");
  });

  it("keeps a removed member's keys working, capped by the role they held (neither broken nor widened)", async () => {
    const userId = await addMember("developer");
    // A key asking for more than a Developer holds: its effective rights are the Developer ceiling.
    const { secret } = await makeKey(
      t,
      { name: "leaver's key", permissions: ["sms.send", "sms.read", "keys.read"] },
      t.seed.mainWorkspaceId,
      userId,
    );
    const before = await loadKey(db, candidateHashes(secret));
    expect(before?.permissions).toEqual(["sms.send", "sms.read", "keys.read"]);
    expectOk(await teamActions.remove(await envAs(ownerId()), { userId }));
    const after = await loadKey(db, candidateHashes(secret));
    expect(after?.permissions).toEqual(before?.permissions);
    expect(after?.creatorCeiling).toEqual(before?.creatorCeiling);
  });

  it("caps a creator's keys by their new role after a role change", async () => {
    const userId = await addMember("developer");
    const { secret } = await makeKey(t, { name: "demoted key", permissions: ["sms.send", "sms.read"] }, t.seed.mainWorkspaceId, userId);
    expectOk(await teamActions.changeRole(await envAs(ownerId()), { userId, role: "billing" }));
    expect((await loadKey(db, candidateHashes(secret)))?.permissions).toEqual([]);
  });
});
