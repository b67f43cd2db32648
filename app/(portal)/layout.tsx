import Link from "next/link";
import { Button } from "@/components/ui/button";
import { MainNav } from "@/components/shell/main-nav";
import { WorkspaceSwitcher } from "@/components/shell/workspace-switcher";
import { requireAccountContext } from "@/lib/portal/session";
import { ROLE_LABELS } from "@/lib/permissions/catalog";
import { signOutAction } from "@/lib/portal/server-actions/workspaces";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  // Not requirePortalContext: "Your account" shares this layout and must open while two-factor setup is required (each page checks).
  const context = await requireAccountContext();
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
            <Link href="/account" className="rounded-md px-1 hover:underline" title="Your account">
              {context.user.name} <span className="text-slate-600">({ROLE_LABELS[context.role]})</span>
            </Link>
            <form action={signOutAction}>
              <Button type="submit" variant="secondary">
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-6 md:flex-row md:gap-6">
        <MainNav role={context.role} />
        <main className="min-w-0 flex-1">
          {context.workspace.archived ? (
            <p role="status" className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
              The {context.workspace.name} workspace is archived: its API keys no longer work, and its data can be read but not changed, so
              the buttons that would change it are not shown. Switch to another workspace to make changes.
            </p>
          ) : null}
          {children}
        </main>
      </div>
    </div>
  );
}
