import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ModeBadge, StatusBadge } from "@/components/keys/key-badges";
import { KeyActivitySection } from "@/components/keys/key-activity";
import { KeyDetailActions } from "@/components/keys/key-detail-actions";
import { KeySpendSection } from "@/components/keys/key-spend";
import { getDb } from "@/db";
import { mayChange } from "@/lib/portal/define-action";
import { requirePortalContext } from "@/lib/portal/session";
import { ServiceError } from "@/lib/errors/service-error";
import { formatDate, formatDateTime } from "@/lib/format/dates";
import { ACTIVITY_PERIODS, keyActivity, type ActivityPeriod } from "@/lib/keys/activity";
import { keyIdSchema } from "@/lib/keys/schemas";
import { getKey, getKeySpendToday, listKeyAudit } from "@/lib/keys/service";
import { formatMoney } from "@/lib/format/money";
import { summarize } from "@/lib/permissions/math";

export const metadata: Metadata = { title: "API key" };

const ACTION_LABELS: Record<string, string> = {
  "key.create": "Created",
  "key.update": "Edited",
  "key.enable": "Enabled",
  "key.disable": "Disabled",
  "key.roll": "Rolled",
  "key.revoke": "Revoked",
};

export default async function ApiKeyPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ period?: string | string[] }>;
}) {
  const context = await requirePortalContext("keys.page");
  const { id } = await params;
  const requested = (await searchParams).period;
  const period: ActivityPeriod = typeof requested === "string" && requested in ACTIVITY_PERIODS ? (requested as ActivityPeriod) : "24h";
  if (!keyIdSchema.safeParse(id).success) notFound();
  const db = await getDb();
  const loaded = await Promise.all([
    getKey(db, context, id),
    listKeyAudit(db, context, id),
    keyActivity(db, context, id, period),
    getKeySpendToday(db, context, id),
  ]).catch((error) => {
    if (error instanceof ServiceError && error.code === "NOT_FOUND") return null;
    throw error;
  });
  if (!loaded) notFound();
  const [key, audit, activity, spend] = loaded;

  const settings: [string, React.ReactNode][] = [
    ["Key", <code key="k">{key.display}</code>],
    ["Mode", <ModeBadge key="m" mode={key.mode} />],
    ["Status", <StatusBadge key="s" status={key.status} />],
    ["Permissions", `${summarize(key.permissions)}: ${key.permissions.join(", ")}`],
    ["HMAC signature", key.hmac ? "Required" : "Not required"],
    ["Allowed CIDRs", key.allowedCidrs.length ? key.allowedCidrs.join(", ") : "Any address"],
    ["Daily spend cap", key.dailySpendCap === null ? "No cap" : `${formatMoney(key.dailySpendCap, spend.currency)} per UTC day`],
    ["Allowed countries", key.allowedCountries.length ? key.allowedCountries.join(", ") : "Any country"],
    ["Postback URL", key.postbackUrl ?? "None (workspace webhook)"],
    ["Off the record", key.offTheRecord ? "Yes: requests are not logged" : "No"],
    ["Expires", formatDate(key.expiresAt, "Never")],
    ["Previous secret valid until", formatDateTime(key.previousSecretExpiresAt, "—")],
    ["Created", `${formatDateTime(key.createdAt)} by ${key.createdBy?.name ?? "—"}`],
    ["Last used", key.lastUsedAt ? `${formatDateTime(key.lastUsedAt)} from ${key.lastUsedAddress ?? "unknown"}` : "Never"],
    ["Revoked", formatDateTime(key.revokedAt, "—")],
  ];

  return (
    <div className="space-y-6">
      <div>
        <Link href="/settings/api-keys" className="text-sm text-indigo-800 hover:underline">
          ← API keys
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">{key.name}</h1>
        {key.expiresSoon ? (
          <p className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900">
            This key expires on {formatDate(key.expiresAt)}. Roll or edit it before then.
          </p>
        ) : null}
      </div>
      {mayChange(context, "keys.page") ? <KeyDetailActions apiKey={key} role={context.role} /> : null}
      <section aria-labelledby="settings-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[14rem_1fr]">
          {settings.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-600">{label}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <KeySpendSection spend={spend} />
      <KeyActivitySection keyId={key.id} activity={activity} />
      <section aria-labelledby="audit-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="audit-heading" className="text-lg font-semibold">
          Audit history
        </h2>
        {/* Wide on a phone: the table scrolls inside its card, never the page. */}
        <div className="relative mt-3 overflow-x-auto">
          <table className="w-full min-w-[40rem] text-sm">
            <thead>
              <tr className="text-left text-slate-600">
                <th scope="col" className="py-1 pr-4 font-medium">
                  When
                </th>
                <th scope="col" className="py-1 pr-4 font-medium">
                  Who
                </th>
                <th scope="col" className="py-1 pr-4 font-medium">
                  What
                </th>
                <th scope="col" className="py-1 pr-4 font-medium">
                  Changes
                </th>
                <th scope="col" className="py-1 font-medium">
                  From
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {audit.map((event) => (
                <tr key={event.id} className="align-top">
                  <td className="py-2 pr-4 whitespace-nowrap">{formatDateTime(event.createdAt)}</td>
                  <td className="py-2 pr-4">{event.actor}</td>
                  <td className="py-2 pr-4">{ACTION_LABELS[event.action] ?? event.action}</td>
                  <td className="py-2 pr-4">
                    <ul className="space-y-0.5 break-words">
                      {Object.entries(event.changes).map(([field, change]) => (
                        <li key={field}>
                          <span className="font-medium">{field}</span>: {JSON.stringify(change.before)} → {JSON.stringify(change.after)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="py-2">{event.address ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
