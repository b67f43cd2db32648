"use client";

import { useOptimistic, useTransition } from "react";
import { Switch } from "@/components/ui/switch";
import { setTrafficModeAction } from "@/lib/portal/server-actions/workspaces";

/** The "Test data" switch shared by the traffic pages: sandbox traffic is shown apart from live traffic. */
export function TestDataSwitch({ test }: { test: boolean }) {
  const [pending, startTransition] = useTransition();
  const [shown, setShown] = useOptimistic(test);
  return (
    <Switch
      label="Test data"
      checked={shown}
      disabled={pending}
      onChange={(next) =>
        startTransition(async () => {
          setShown(next);
          await setTrafficModeAction(next);
        })
      }
    />
  );
}

/** A banner on every traffic page while test data is shown, so nobody mistakes it for live traffic. */
export function TestDataBanner() {
  return (
    <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      You are viewing <strong>test data</strong>: messages sent with <code>sk_test_</code> keys or as test messages from the Dashboard.
      Nothing here reached a carrier or was billed.
    </p>
  );
}
