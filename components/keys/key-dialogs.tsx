"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { KeyForm } from "./key-form";
import { RevokeDialog } from "./revoke-dialog";
import { RollDialog } from "./roll-dialog";
import { SecretDialog, type ShownSecret } from "./secret-dialog";
import type { CreatedKey } from "@/lib/keys/service";
import { createKeyAction, revokeKeyAction, rollKeyAction, setKeyEnabledAction, updateKeyAction } from "@/lib/portal/server-actions/keys";
import type { KeyView } from "@/lib/keys/view";
import type { Role } from "@/lib/permissions/catalog";

/**
 * Every key action's dialog in one place, for the keys table and a key's own
 * page alike: create, edit, roll, revoke, and the show-once secret modal.
 */
export function useKeyDialogs(role: Role) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<KeyView | null>(null);
  const [rolling, setRolling] = useState<KeyView | null>(null);
  const [revoking, setRevoking] = useState<KeyView | null>(null);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const open = {
    create: () => setCreating(true),
    edit: (key: KeyView) => setEditing(key),
    roll: (key: KeyView) => setRolling(key),
    revoke: (key: KeyView) => setRevoking(key),
    toggle: async (key: KeyView) => {
      const result = await setKeyEnabledAction(key.id, !key.enabled);
      setNotice(result.ok ? `${key.name} is now ${result.data.enabled ? "enabled" : "disabled"}.` : result.error);
      router.refresh();
    },
  };

  const dialogs = (
    <>
      <p role="status" aria-live="polite" className={notice ? "mb-3 rounded-md bg-slate-100 p-2 text-sm" : "sr-only"}>
        {notice}
      </p>
      <Dialog open={creating} onClose={() => setCreating(false)} title="Create API key" size="lg">
        <KeyForm
          mode="create"
          role={role}
          submit={createKeyAction}
          onCancel={() => setCreating(false)}
          onDone={(data) => {
            const created = data as CreatedKey;
            setCreating(false);
            setShown({
              title: "Your new API key",
              keyName: created.key.name,
              secret: created.secret,
              signingSecret: created.signingSecret,
            });
            router.refresh();
          }}
        />
      </Dialog>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={`Edit ${editing?.name ?? "key"}`} size="lg">
        {editing ? (
          <KeyForm
            key={editing.id}
            mode="edit"
            role={role}
            initial={editing}
            submit={updateKeyAction}
            onCancel={() => setEditing(null)}
            onDone={() => {
              setNotice(`Saved ${editing.name}.`);
              setEditing(null);
              router.refresh();
            }}
          />
        ) : null}
      </Dialog>
      <RollDialog
        target={rolling}
        onCancel={() => setRolling(null)}
        onConfirm={async (graceSeconds) => {
          if (!rolling) return null;
          const result = await rollKeyAction(rolling.id, graceSeconds);
          if (!result.ok) return result.error;
          setRolling(null);
          setShown({
            title: "Your rolled API key",
            keyName: result.data.key.name,
            secret: result.data.secret,
            signingSecret: result.data.signingSecret,
            note: result.data.key.previousSecretExpiresAt
              ? `The previous secret keeps working until ${new Date(result.data.key.previousSecretExpiresAt).toUTCString()}.`
              : "The previous secret has stopped working.",
          });
          router.refresh();
          return null;
        }}
      />
      <RevokeDialog
        target={revoking}
        onCancel={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return null;
          const result = await revokeKeyAction(revoking.id);
          if (!result.ok) return result.error;
          setNotice(`${revoking.name} is revoked.`);
          setRevoking(null);
          router.refresh();
          return null;
        }}
      />
      <SecretDialog shown={shown} onDone={() => setShown(null)} />
    </>
  );

  return { open, dialogs };
}
