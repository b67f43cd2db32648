"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Menu } from "@/components/ui/menu";
import { Table, tableHeadClass } from "@/components/ui/table";
import { formatDate, formatDateTime } from "@/lib/format/dates";
import { ROLE_LABELS, type Role } from "@/lib/permissions/catalog";
import { revokeInvitationAction } from "@/lib/portal/server-actions/team";
import { ChangeRoleDialog, InviteDialog, RemoveDialog } from "./team-dialogs";

export type MemberRow = {
  userId: number;
  name: string;
  email: string;
  role: Role;
  twoFactor: boolean;
  joinedAt: string;
  lastSignInAt: string | null;
};
export type InvitationRow = {
  id: number;
  email: string;
  role: Role;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  status: string;
};

/** The Team page: members (role, last sign-in), and for Owners and Admins the pending invitations and every change. */
export function TeamView({
  me,
  role,
  grantable,
  members,
  invitations,
}: {
  me: number;
  role: Role;
  grantable: Role[];
  members: MemberRow[];
  invitations: InvitationRow[];
}) {
  const router = useRouter();
  const manage = grantable.length > 0;
  const [inviting, setInviting] = useState(false);
  // Each opening mounts a fresh dialog (its form and shown link start empty).
  const [invites, setInvites] = useState(0);
  const [changing, setChanging] = useState<MemberRow | null>(null);
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="space-y-6">
      {manage ? (
        <div className="flex justify-end">
          <Button
            onClick={() => {
              setInvites((n) => n + 1);
              setInviting(true);
            }}
          >
            Invite member
          </Button>
        </div>
      ) : null}
      {notice ? (
        <p role="status" className="rounded-md bg-slate-100 p-3 text-sm text-slate-800">
          {notice}
        </p>
      ) : null}

      <section aria-labelledby="members-heading" className="space-y-2">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members
        </h2>
        <Table caption="Members">
          <thead className={tableHeadClass}>
            <tr>
              <th scope="col" className="px-3 py-2">
                Member
              </th>
              <th scope="col" className="px-3 py-2">
                Role
              </th>
              <th scope="col" className="px-3 py-2">
                Two-factor
              </th>
              <th scope="col" className="px-3 py-2">
                Last sign-in
              </th>
              <th scope="col" className="hidden px-3 py-2 md:table-cell">
                Joined
              </th>
              {manage ? (
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {members.map((m) => (
              <tr key={m.userId}>
                <td className="px-3 py-2 whitespace-nowrap">
                  <div className="font-medium">
                    {m.name}
                    {m.userId === me ? <span className="ml-1 text-xs font-normal text-slate-600">(you)</span> : null}
                  </div>
                  <div className="text-slate-600">{m.email}</div>
                </td>
                <td className="px-3 py-2">
                  <Badge tone={m.role === "owner" ? "purple" : m.role === "admin" ? "indigo" : "slate"}>{ROLE_LABELS[m.role]}</Badge>
                </td>
                <td className="px-3 py-2">{m.twoFactor ? <Badge tone="green">On</Badge> : <Badge tone="slate">Off</Badge>}</td>
                <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(m.lastSignInAt, "Never")}</td>
                <td className="hidden px-3 py-2 whitespace-nowrap md:table-cell">{formatDate(m.joinedAt)}</td>
                {manage ? (
                  <td className="px-3 py-2 text-right">
                    <Menu
                      label={`Actions for ${m.email}`}
                      items={[
                        { label: "Change role", onSelect: () => setChanging(m) },
                        { label: "Remove", onSelect: () => setRemoving(m), danger: true },
                      ]}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      </section>

      {manage ? (
        <section aria-labelledby="invitations-heading" className="space-y-2">
          <h2 id="invitations-heading" className="text-lg font-semibold">
            Pending invitations
          </h2>
          {invitations.length === 0 ? (
            <p className="text-sm text-slate-600">No pending invitations. A link works once, for 7 days.</p>
          ) : (
            <Table caption="Pending invitations">
              <thead className={tableHeadClass}>
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Email
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Invited by
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Expires
                  </th>
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {invitations.map((i) => (
                  <tr key={i.id}>
                    <td className="px-3 py-2 whitespace-nowrap">{i.email}</td>
                    <td className="px-3 py-2">{ROLE_LABELS[i.role]}</td>
                    <td className="px-3 py-2 whitespace-nowrap">{i.invitedBy ?? "—"}</td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      {i.status === "expired" ? <Badge tone="amber">Expired</Badge> : formatDateTime(i.expiresAt)}
                    </td>
                    <td className="px-3 py-2 text-right">
                      <Button
                        variant="secondary"
                        aria-label={`Revoke invitation for ${i.email}`}
                        onClick={async () => {
                          const result = await revokeInvitationAction(i.id);
                          setNotice(result.ok ? `The invitation for ${i.email} was revoked.` : result.error);
                          router.refresh();
                        }}
                      >
                        Revoke
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
      ) : null}

      <InviteDialog
        key={`invite-${invites}`}
        open={inviting}
        grantable={grantable}
        onClose={() => setInviting(false)}
        onDone={() => router.refresh()}
      />
      <ChangeRoleDialog
        key={`role-${changing?.userId ?? 0}`}
        member={changing}
        grantable={grantable}
        actorRole={role}
        onClose={() => setChanging(null)}
        onDone={(message) => {
          setChanging(null);
          setNotice(message);
          router.refresh();
        }}
      />
      <RemoveDialog
        key={`remove-${removing?.userId ?? 0}`}
        member={removing}
        isMe={removing?.userId === me}
        onClose={() => setRemoving(null)}
        onDone={(message, self) => {
          setRemoving(null);
          if (self) router.push("/sign-in");
          else {
            setNotice(message);
            router.refresh();
          }
        }}
      />
    </div>
  );
}
