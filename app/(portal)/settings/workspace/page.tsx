import type { Metadata } from "next";
import { BlockedCountriesForm } from "@/components/workspace/blocked-countries-form";
import { getDb } from "@/db";
import { requirePortalContext } from "@/lib/portal/session";
import { priceList } from "@/lib/account/queries";
import { countryName } from "@/lib/sms/phone";
import { getWorkspaceSettings } from "@/lib/workspaces/settings";

export const metadata: Metadata = { title: "Workspace settings" };

export default async function WorkspaceSettingsPage() {
  const context = await requirePortalContext("workspace.settings");
  const db = await getDb();
  const [settings, prices] = await Promise.all([getWorkspaceSettings(db, context), priceList(db)]);
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
        <BlockedCountriesForm initial={settings.blockedCountries} countries={countries} />
      </section>
    </div>
  );
}
