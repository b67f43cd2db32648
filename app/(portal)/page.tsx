import Link from "next/link";
import { getDb } from "@/db";
import { workspaceBalance } from "@/lib/account/queries";
import { requirePortalContext } from "@/lib/portal/session";
import { hasPortalRight, ROLE_LABELS } from "@/lib/permissions/catalog";

export default async function OverviewPage() {
  const context = await requirePortalContext();
  const workspace = await workspaceBalance(await getDb(), context.workspaceId);
  const balance = new Intl.NumberFormat("en-GB", { style: "currency", currency: workspace.currency }).format(workspace.balance);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{context.workspace.name}</h1>
      <dl className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-600">Balance</dt>
          <dd className="mt-1 text-2xl font-semibold">{balance}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-600">Organization</dt>
          <dd className="mt-1 text-lg font-medium">{context.organization.name}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-600">Your role</dt>
          <dd className="mt-1 text-lg font-medium">{ROLE_LABELS[context.role]}</dd>
        </div>
      </dl>
      {hasPortalRight(context.role, "keys.page") ? (
        <p className="text-sm">
          <Link href="/settings/api-keys" className="font-medium text-indigo-800 hover:underline">
            Manage API keys →
          </Link>
        </p>
      ) : null}
    </div>
  );
}
