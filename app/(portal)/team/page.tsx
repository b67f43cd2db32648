import type { Metadata } from "next";
import { TeamView } from "@/components/team/team-view";
import { getDb } from "@/db";
import { twoFactorStatus } from "@/lib/auth/two-factor";
import { hasPortalRight } from "@/lib/permissions/catalog";
import { requirePortalContext } from "@/lib/portal/session";
import { listOpenInvitations } from "@/lib/team/invitations";
import { listMembers } from "@/lib/team/members";
import { grantableRoles } from "@/lib/team/rules";

export const metadata: Metadata = { title: "Team" };

// GET /team — every member sees the team; members.manage (Owner, Admin) changes it.
export default async function TeamPage() {
  const context = await requirePortalContext();
  const db = await getDb();
  const manage = hasPortalRight(context.role, "members.manage");
  const [members, invitations] = await Promise.all([
    listMembers(db, context.organizationId),
    manage ? listOpenInvitations(db, context.organizationId) : Promise.resolve([]),
  ]);
  const twoFactor = await twoFactorStatus(
    db,
    members.map((m) => m.userId),
  );
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Team</h1>
        <p className="mt-1 text-sm text-slate-600">
          The people of {context.organization.name} and their roles. API keys a removed member created keep working: they belong to the
          workspace, with at most the rights of the role that member held. Revoke them on the API keys page when they should stop.
        </p>
      </div>
      <TeamView
        me={context.user.id}
        role={context.role}
        grantable={manage ? grantableRoles(context.role) : []}
        members={members.map((m) => ({
          ...m,
          twoFactor: twoFactor.get(m.userId) ?? false,
          joinedAt: m.joinedAt.toISOString(),
          lastSignInAt: iso(m.lastSignInAt),
        }))}
        invitations={invitations.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), expiresAt: i.expiresAt.toISOString() }))}
      />
    </div>
  );
}
