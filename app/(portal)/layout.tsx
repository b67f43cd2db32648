import Link from "next/link";
import { Button } from "@/components/ui/button";
import { NavLink } from "@/components/shell/nav-link";
import { WorkspaceSwitcher } from "@/components/shell/workspace-switcher";
import { requirePortalContext } from "@/lib/portal/session";
import { hasPortalRight, ROLE_LABELS } from "@/lib/permissions/catalog";
import { signOutAction } from "@/lib/portal/server-actions/workspaces";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const context = await requirePortalContext();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex items-center gap-4">
            <Link href="/" className="font-semibold text-slate-900">
              {context.organization.name} · Messaging
            </Link>
            <WorkspaceSwitcher current={context.workspaceId} workspaces={context.workspaces} />
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span>
              {context.user.name} <span className="text-slate-600">({ROLE_LABELS[context.role]})</span>
            </span>
            <form action={signOutAction}>
              <Button type="submit" variant="secondary">
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl gap-6 px-4 py-6">
        <nav aria-label="Main" className="w-48 shrink-0 space-y-1">
          <NavLink href="/">Overview</NavLink>
          {hasPortalRight(context.role, "keys.page") ? <NavLink href="/settings/api-keys">API keys</NavLink> : null}
          {hasPortalRight(context.role, "workspace.settings") ? <NavLink href="/settings/workspace">Workspace settings</NavLink> : null}
          <NavLink href="/api-reference">API reference</NavLink>
        </nav>
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </div>
  );
}
