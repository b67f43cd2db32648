"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ROLL_GRACE_CHOICES } from "@/lib/keys/form-schema";
import type { KeyView } from "@/lib/keys/view";

export function RollDialog({
  target,
  onCancel,
  onConfirm,
}: {
  target: KeyView | null;
  onCancel: () => void;
  onConfirm: (graceSeconds: number) => Promise<string | null>;
}) {
  const [grace, setGrace] = useState<number>(3600);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={target !== null}
      onClose={onCancel}
      title={`Roll ${target?.name ?? "key"}`}
      description="A new secret replaces this one. Choose how long the current secret keeps working, so your services can switch over."
    >
      <form
        className="space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(await onConfirm(grace));
          setBusy(false);
        }}
      >
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">The current secret keeps working for</legend>
          <div className="mt-2 grid grid-cols-2 gap-2">
            {ROLL_GRACE_CHOICES.map((choice) => (
              <label key={choice.seconds} className="flex items-center gap-2 rounded-md border border-slate-300 p-2 text-sm">
                <input type="radio" name="grace" checked={grace === choice.seconds} onChange={() => setGrace(choice.seconds)} />
                {choice.label}
              </label>
            ))}
          </div>
        </fieldset>
        {error ? <p className="text-sm text-red-700">{error}</p> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            Roll key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
