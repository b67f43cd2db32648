"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { SecretField } from "@/components/keys/secret-dialog";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass, TextInput } from "@/components/ui/field";
import { ROLE_LABELS, type Role } from "@/lib/permissions/catalog";
import { changeRoleAction, inviteMemberAction, removeMemberAction } from "@/lib/portal/server-actions/team";
import { inviteFormSchema, type InviteFormValues } from "@/lib/team/schemas";
import type { MemberRow } from "./team-view";

function RoleOptions({ roles }: { roles: Role[] }) {
  return roles.map((r) => (
    <option key={r} value={r}>
      {ROLE_LABELS[r]}
    </option>
  ));
}

/** "Invite member": email and role, then the one-time link, shown this once. */
export function InviteDialog({
  open,
  grantable,
  onClose,
  onDone,
}: {
  open: boolean;
  grantable: Role[];
  onClose: () => void;
  onDone: () => void;
}) {
  const defaultRole = grantable.includes("developer") ? "developer" : grantable[grantable.length - 1];
  const form = useForm<InviteFormValues>({ resolver: zodResolver(inviteFormSchema), defaultValues: { email: "", role: defaultRole } });
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await inviteMemberAction(values);
    if (!result.ok) {
      for (const field of ["email", "role"] as const) {
        const message = result.fieldErrors?.[field];
        if (message) form.setError(field, { message });
      }
      setError(result.error);
      return;
    }
    setLink(`${window.location.origin}/invite/${result.data.token}`);
    onDone();
  });

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Invite member"
      description={
        link
          ? "Send this link to the person you invited. It is shown this once, works once, and expires in 7 days."
          : "A one-time link for one email address; no email is sent."
      }
    >
      {link ? (
        <div className="space-y-4">
          <SecretField label="Invitation link" copyLabel="Copy" value={link} />
          <div className="flex justify-end">
            <Button onClick={onClose}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="space-y-4" noValidate>
          <Field label="Email" error={errors.email?.message}>
            {(a) => <TextInput {...a} {...form.register("email")} type="email" autoComplete="off" required />}
          </Field>
          <Field label="Role" error={errors.role?.message} hint="Nobody can grant a role above their own.">
            {(a) => (
              <select {...a} {...form.register("role")} className={inputClass}>
                <RoleOptions roles={grantable} />
              </select>
            )}
          </Field>
          {error ? <p className="text-sm text-red-700">{error}</p> : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              Create invitation
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** "Change role": takes effect on the member's next page load. */
export function ChangeRoleDialog({
  member,
  grantable,
  actorRole,
  onClose,
  onDone,
}: {
  member: MemberRow | null;
  grantable: Role[];
  actorRole: Role;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const id = useId();
  // Mounted afresh per member (a key in TeamView): state starts from them.
  const [role, setRole] = useState<Role>(member?.role ?? "viewer");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choices = member && !grantable.includes(member.role) ? [member.role, ...grantable] : grantable;

  return (
    <Dialog
      open={member !== null}
      onClose={onClose}
      title={`Change role of ${member?.name ?? "member"}`}
      description={`${member?.email ?? ""} gets the new role on their next page load. ${actorRole === "owner" ? "" : "Only an Owner can make or change an Owner."}`}
    >
      <form
        className="space-y-4"
        onSubmit={async (event) => {
          event.preventDefault();
          if (!member) return;
          setBusy(true);
          const result = await changeRoleAction({ userId: member.userId, role });
          setBusy(false);
          if (result.ok) onDone(`${member.email} is now ${ROLE_LABELS[role]}.`);
          else setError(result.fieldErrors?.role ?? result.error);
        }}
      >
        <div className="space-y-1">
          <label htmlFor={id} className="block text-sm font-medium text-slate-800">
            Role
          </label>
          <select
            id={id}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            className={inputClass}
            aria-invalid={Boolean(error)}
          >
            <RoleOptions roles={choices} />
          </select>
        </div>
        {error ? <p className="text-sm text-red-700">{error}</p> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            Change role
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** "Remove": the member's sessions end at once; keys they created keep working. */
export function RemoveDialog({
  member,
  isMe,
  onClose,
  onDone,
}: {
  member: MemberRow | null;
  isMe: boolean;
  onClose: () => void;
  onDone: (message: string, self: boolean) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={member !== null}
      onClose={onClose}
      title={isMe ? "Leave the organization?" : `Remove ${member?.name ?? "member"}?`}
      description={`${member?.email ?? ""} loses access at once and is signed out everywhere. API keys they created keep working: they belong to the workspace.`}
    >
      {error ? <p className="mb-3 text-sm text-red-700">{error}</p> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={busy}
          onClick={async () => {
            if (!member) return;
            setBusy(true);
            const result = await removeMemberAction(member.userId);
            setBusy(false);
            if (result.ok) onDone(`${member.email} was removed.`, isMe);
            else setError(result.error);
          }}
        >
          Remove member
        </Button>
      </div>
    </Dialog>
  );
}
