"use client";

import { Button } from "@/components/ui/button";
import { useKeyDialogs } from "./key-dialogs";
import type { KeyView } from "@/lib/keys/view";
import type { Role } from "@/lib/permissions/catalog";

export function KeyDetailActions({ apiKey, role }: { apiKey: KeyView; role: Role }) {
  const { open, dialogs } = useKeyDialogs(role);
  if (apiKey.status === "revoked") return null;
  return (
    <div>
      {dialogs}
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => open.edit(apiKey)}>
          Edit
        </Button>
        <Button variant="secondary" onClick={() => open.toggle(apiKey)}>
          {apiKey.enabled ? "Disable" : "Enable"}
        </Button>
        <Button variant="secondary" onClick={() => open.roll(apiKey)}>
          Roll key
        </Button>
        <Button variant="danger" onClick={() => open.revoke(apiKey)}>
          Revoke
        </Button>
      </div>
    </div>
  );
}
