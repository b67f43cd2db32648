import Link from "next/link";
import { Table, tableHeadClass } from "@/components/ui/table";
import { auditActionLabel, auditTargetLabel } from "@/lib/audit/actions";
import type { AuditEventView } from "@/lib/audit/query";
import { formatDateTime } from "@/lib/format/dates";

/** A changed value in words: none, yes/no, a list, a date or the value itself. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length ? value.map(formatValue).join(", ") : "none";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return formatDateTime(value);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Fields whose words are not just their name split up. */
const FIELD_LABELS: Record<string, string> = {
  hmac: "HMAC signature",
  allowedCidrs: "Allowed CIDRs",
  postbackUrl: "Postback URL",
  expiresAt: "Expires",
  offTheRecord: "Off the record",
  signingSecretSet: "Signing secret set",
};

/** "blockedCountries" → "Blocked countries". */
function fieldLabel(field: string): string {
  if (FIELD_LABELS[field]) return FIELD_LABELS[field];
  const words = field
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function Changes({ event }: { event: AuditEventView }) {
  const fields = Object.entries(event.changes);
  if (fields.length === 0) return <span className="text-slate-500">—</span>;
  return (
    <details className="group max-w-md">
      <summary className="cursor-pointer text-indigo-800 hover:underline">
        {fields.length === 1 ? fieldLabel(fields[0][0]) : `${fields.length} fields`}
        <span className="sr-only"> changed by event {event.id}</span>
      </summary>
      <table className="mt-2 w-full text-xs">
        <caption className="sr-only">Changed fields</caption>
        <thead className="text-left text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-2 font-medium">
              Field
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              Before
            </th>
            <th scope="col" className="py-1 font-medium">
              After
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {fields.map(([field, { before, after }]) => (
            <tr key={field}>
              <th scope="row" className="py-1 pr-2 text-left font-medium text-slate-700">
                {fieldLabel(field)}
              </th>
              <td className="py-1 pr-2 break-all text-slate-600">{formatValue(before)}</td>
              <td className="py-1 break-all text-slate-900">{formatValue(after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Actor({ event, filterLink }: { event: AuditEventView; filterLink: (actor: string) => string }) {
  const { actor } = event;
  if (actor.kind === "none") return <span className="text-slate-600">Unknown</span>;
  return (
    <span>
      <Link
        href={filterLink(event.actorFilter)}
        title={`Only events by ${actor.name}`}
        className="font-medium text-indigo-800 hover:underline"
      >
        {actor.name}
      </Link>
      {actor.kind === "key" ? <span className="ml-1 rounded bg-slate-100 px-1 text-xs text-slate-700">API key</span> : null}
      {actor.detail ? (
        <span className={`block text-xs break-all text-slate-600 ${actor.kind === "key" ? "font-mono" : ""}`}>{actor.detail}</span>
      ) : null}
    </span>
  );
}

function Target({ event }: { event: AuditEventView }) {
  const { target } = event;
  const name = target.name ?? target.id;
  return (
    <span>
      <span className="text-xs text-slate-600">{auditTargetLabel(target.type)}</span>
      <span className="block font-medium break-all text-slate-900">
        {target.type === "api_key" && target.name ? (
          <Link href={`/settings/api-keys/${encodeURIComponent(target.id)}`} className="text-indigo-800 hover:underline">
            {name}
          </Link>
        ) : (
          name
        )}
      </span>
      {event.workspace && !(target.type === "workspace" && target.name === event.workspace) ? (
        <span className="block text-xs text-slate-600">in {event.workspace}</span>
      ) : null}
    </span>
  );
}

export function AuditTable({
  events,
  caption,
  filterLink,
}: {
  events: AuditEventView[];
  caption: string;
  filterLink: (actor: string) => string;
}) {
  return (
    <Table caption={caption}>
      <thead className={tableHeadClass}>
        <tr>
          <th scope="col" className="hidden px-3 py-2 md:table-cell">
            Time
          </th>
          <th scope="col" className="px-3 py-2">
            Actor
          </th>
          <th scope="col" className="px-3 py-2">
            Action
          </th>
          <th scope="col" className="hidden px-3 py-2 sm:table-cell">
            Target
          </th>
          <th scope="col" className="hidden px-3 py-2 lg:table-cell">
            Changes
          </th>
          <th scope="col" className="hidden px-3 py-2 lg:table-cell">
            Address
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 align-top">
        {events.map((e) => (
          <tr key={e.id} className="hover:bg-slate-50">
            <td className="hidden px-3 py-2 whitespace-nowrap text-slate-700 md:table-cell">{formatDateTime(e.createdAt.toISOString())}</td>
            <td className="px-3 py-2">
              <Actor event={e} filterLink={filterLink} />
            </td>
            <td className="px-3 py-2">
              <span className="font-medium text-slate-900">{auditActionLabel(e.action)}</span>
              <code className="block text-xs text-slate-600">{e.action}</code>
              {/* Below md the time, the target, the changes and the address ride along here. */}
              <span className="block text-xs text-slate-600 md:hidden">{formatDateTime(e.createdAt.toISOString())}</span>
              <div className="mt-1 sm:hidden">
                <Target event={e} />
              </div>
              <div className="mt-1 lg:hidden">
                <Changes event={e} />
                {e.address ? <span className="block text-xs text-slate-600">from {e.address}</span> : null}
              </div>
            </td>
            <td className="hidden px-3 py-2 sm:table-cell">
              <Target event={e} />
            </td>
            <td className="hidden px-3 py-2 lg:table-cell">
              <Changes event={e} />
            </td>
            <td className="hidden px-3 py-2 font-mono text-xs whitespace-nowrap text-slate-700 lg:table-cell">{e.address ?? "—"}</td>
          </tr>
        ))}
        {events.length === 0 ? (
          <tr>
            <td colSpan={6} className="px-3 py-10 text-center text-slate-600">
              No events match these filters.
            </td>
          </tr>
        ) : null}
      </tbody>
    </Table>
  );
}
