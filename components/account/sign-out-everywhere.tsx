"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { signOutEverywhereAction } from "@/lib/portal/server-actions/account";
import { NoticeLine, type Notice } from "./profile-forms";

/** Ends every session of the person, this one too (the action then redirects to the sign-in page). */
export function SignOutEverywhereButton() {
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="space-y-2">
      <Button
        variant="danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const result = await signOutEverywhereAction();
          setBusy(false);
          if (result && !result.ok) setNotice({ ok: false, text: result.error });
        }}
      >
        Sign out everywhere
      </Button>
      <NoticeLine notice={notice} />
    </div>
  );
}
