"use client";

import { useRef } from "react";
import { switchWorkspaceAction } from "@/lib/portal/server-actions/workspaces";
import type { WorkspaceSummary } from "@/lib/workspaces/context";

export function WorkspaceSwitcher({ current, workspaces }: { current: number; workspaces: WorkspaceSummary[] }) {
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={switchWorkspaceAction} className="flex items-center gap-2">
      <label htmlFor="workspace-switcher" className="text-sm text-slate-600">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        name="workspaceId"
        defaultValue={current}
        key={current}
        onChange={() => form.current?.requestSubmit()}
        className="max-w-44 truncate rounded-md border border-slate-300 bg-white px-2 py-1 text-sm sm:max-w-64"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
            {w.isMain ? " (main)" : ""}
            {w.archived ? " (archived)" : ""}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">Switch</button>
      </noscript>
    </form>
  );
}
