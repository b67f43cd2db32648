"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { KeyView } from "@/lib/keys/view";

export function RevokeDialog({
  target,
  onCancel,
  onConfirm,
}: {
  target: KeyView | null;
  onCancel: () => void;
  onConfirm: () => Promise<string | null>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={target !== null}
      onClose={onCancel}
      title={`Revoke ${target?.name ?? "key"}?`}
      description="The key stops working at once, everywhere, and cannot be enabled again. It stays listed as revoked."
    >
      {error ? <p className="mb-3 text-sm text-red-700">{error}</p> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(await onConfirm());
            setBusy(false);
          }}
        >
          Revoke key
        </Button>
      </div>
    </Dialog>
  );
}
