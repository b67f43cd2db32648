import type { Metadata } from "next";
import { BlockedCountriesForm } from "@/components/workspace/blocked-countries-form";
import { WorkspacesManager } from "@/components/workspace/workspaces-manager";
import { getDb } from "@/db";
import { hasPortalRight } from "@/lib/permissions/catalog";
import { requirePortalContext } from "@/lib/portal/session";
import { priceList } from "@/lib/account/queries";
import { countryName } from "@/lib/sms/phone";
import { listWorkspaces } from "@/lib/workspaces/manage";
import { getWorkspaceSettings } from "@/lib/workspaces/settings";

export const metadata: Metadata = { title: "Workspace settings" };

export default async function WorkspaceSettingsPage() {
  const context = await requirePortalContext("workspace.settings");
  const db = await getDb();
  const manage = hasPortalRight(context.role, "workspaces.manage");
  const [settings, prices, workspaces] = await Promise.all([
    getWorkspaceSettings(db, context),
    priceList(db),
    manage ? listWorkspaces(db, context.organizationId) : [],
  ]);
  // The destinations we have prices for, plus any already blocked.
  const codes = new Set([...prices.map((p) => p.country), ...settings.blockedCountries]);
  const countries = [...codes].map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Workspace settings</h1>
        <p className="mt-1 text-sm text-slate-600">Settings of the {context.workspace.name} workspace.</p>
      </div>
      <section aria-labelledby="blocked-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="blocked-heading" className="text-lg font-semibold">
          Blocked countries
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Recipients in these countries are refused per recipient (<code>blocked_country</code>) and never billed.
        </p>
        {context.workspace.archived ? (
          <p className="text-sm text-slate-700">
            {settings.blockedCountries.length === 0
              ? "No country is blocked."
              : `Blocked: ${settings.blockedCountries.map((c) => `${countryName(c)} (${c})`).join(", ")}.`}{" "}
            An archived workspace&apos;s settings cannot be changed.
          </p>
        ) : (
          <BlockedCountriesForm initial={settings.blockedCountries} countries={countries} />
        )}
      </section>
      {manage ? (
        <section aria-labelledby="workspaces-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="workspaces-heading" className="text-lg font-semibold">
            Workspaces
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">
            Each workspace of {context.organization.name} has its own keys, balance, messages and settings. Archiving one stops its API keys
            at once and keeps its data readable; the main workspace cannot be archived.
          </p>
          <WorkspacesManager
            workspaces={workspaces.map((w) => ({
              id: w.id,
              name: w.name,
              isMain: w.isMain,
              archivedAt: w.archivedAt?.toISOString() ?? null,
              createdAt: w.createdAt.toISOString(),
            }))}
          />
        </section>
      ) : null}
    </div>
  );
}
