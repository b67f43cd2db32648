import type { Metadata } from "next";
import { KeysTable } from "@/components/keys/keys-table";
import { getDb } from "@/db";
import { mayChange } from "@/lib/portal/define-action";
import { requirePortalContext } from "@/lib/portal/session";
import { parseListKeysQuery } from "@/lib/keys/list-query";
import { listKeys } from "@/lib/keys/service";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const context = await requirePortalContext("keys.page");
  const query = parseListKeysQuery(await searchParams);
  const page = await listKeys(await getDb(), context, query);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="mt-1 text-sm text-slate-600">
          Keys for the {context.workspace.name} workspace. A secret is shown once, when the key is created or rolled.
        </p>
      </div>
      <KeysTable page={page} query={query} role={context.role} readOnly={!mayChange(context, "keys.page")} />
    </div>
  );
}
