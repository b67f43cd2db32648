import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters, type ActorOption } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { getDb } from "@/db";
import { auditActors, auditQuerySchema, listAuditEvents } from "@/lib/audit/query";
import { firstValues, queryErrors } from "@/lib/portal/search-params";
import { requirePortalContext } from "@/lib/portal/session";

export const metadata: Metadata = { title: "Audit log" };

const FILTERS = ["actor", "action", "target", "target_id", "period", "from", "to"] as const;
const pageButton = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100";

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const context = await requirePortalContext("audit.page");
  const db = await getDb();
  const values = firstValues(await searchParams);
  const parsed = auditQuerySchema.safeParse(values);
  const errors = parsed.success ? {} : queryErrors(parsed.error.issues);
  const [page, members] = await Promise.all([
    parsed.success ? listAuditEvents(db, context.organization.id, parsed.data) : null,
    auditActors(db, context.organization.id),
  ]);

  const actors: ActorOption[] = [
    ...members.map((m) => ({ value: `user:${m.id}`, label: `${m.name} (${m.email})` })),
    { value: "none", label: "Unknown (failed sign-ins)" },
  ];
  // An actor chosen from a row (an API key, a former member) stays selectable.
  if (values.actor && !actors.some((a) => a.value === values.actor) && parsed.success) {
    const shown = page?.events.find((e) => e.actorFilter === values.actor)?.actor;
    actors.push({ value: values.actor, label: shown ? `${shown.name}${shown.detail ? ` (${shown.detail})` : ""}` : values.actor });
  }

  const filters = new URLSearchParams(FILTERS.flatMap((k) => (values[k] ? [[k, values[k]]] : [])));
  const link = (changes: Record<string, string>) => {
    const next = new URLSearchParams(filters);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    return `?${next.toString()}`;
  };
  const firstPage = parsed.success && (parsed.data.after || parsed.data.before);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Audit log</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            Every change in {context.organization.name}: keys, members, invitations, workspaces, webhooks, billing and settings, with
            sign-ins and failed sign-ins — who, what, from where and when, newest first. Secrets are never recorded.
          </p>
        </div>
        {page ? (
          <a
            href={`/audit/export?${filters.toString()}`}
            className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
            download
          >
            Export CSV
          </a>
        ) : null}
      </div>
      <AuditFilters values={values} errors={errors} actors={actors} />
      {page ? (
        <>
          <AuditTable events={page.events} caption="Audit events, newest first" filterLink={(actor) => link({ actor })} />
          <nav aria-label="Audit log pages" className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700">
            <p>
              {page.events.length === 0
                ? "No events"
                : `${page.events.length.toLocaleString("en-GB")} event${page.events.length === 1 ? "" : "s"} on this page`}
            </p>
            <div className="flex gap-2">
              {firstPage ? (
                <Link href={`?${filters.toString()}`} className={pageButton}>
                  Newest
                </Link>
              ) : null}
              {page.newer ? (
                <Link href={link({ before: page.newer })} className={pageButton}>
                  Newer
                </Link>
              ) : null}
              {page.older ? (
                <Link href={link({ after: page.older })} className={pageButton}>
                  Older
                </Link>
              ) : null}
            </div>
          </nav>
        </>
      ) : (
        <p role="status" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          Check the highlighted filters.
        </p>
      )}
    </div>
  );
}
