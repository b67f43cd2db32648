import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FailurePanel } from "@/components/messages/failure-panel";
import { MessageStatus } from "@/components/messages/message-status";
import { Table, tableHeadClass } from "@/components/ui/table";
import { TestDataBanner } from "@/components/traffic/test-data-switch";
import { getDb } from "@/db";
import { ServiceError } from "@/lib/errors/service-error";
import { formatDateTime } from "@/lib/format/dates";
import { formatMoney } from "@/lib/format/money";
import { getKey } from "@/lib/keys/service";
import { hasPortalRight } from "@/lib/permissions/catalog";
import { requirePortalContext } from "@/lib/portal/session";
import { readTrafficMode } from "@/lib/portal/traffic-mode";
import { messageDetail } from "@/lib/sms/history";
import { countryName } from "@/lib/sms/phone";
import { deliveriesForMessage } from "@/lib/webhooks/logs";

export const metadata: Metadata = { title: "Message" };

const STEP_DOT = { done: "bg-green-600", failed: "bg-red-600", waiting: "bg-slate-300" } as const;

export default async function MessagePage({ params }: { params: Promise<{ id: string }> }) {
  const context = await requirePortalContext("traffic.page");
  const mode = await readTrafficMode();
  const { id } = await params;
  const db = await getDb();
  const message = await messageDetail(db, { workspaceId: context.workspaceId, mode }, decodeURIComponent(id)).catch((error) => {
    if (error instanceof ServiceError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const [key, deliveries] = await Promise.all([
    // The sending key, when this member may see it (a key beyond their ceiling stays a bare id).
    message.keyId && hasPortalRight(context.role, "keys.page") ? getKey(db, context, message.keyId).catch(() => null) : null,
    deliveriesForMessage(db, context.workspaceId, message.messageId),
  ]);

  const facts: [string, React.ReactNode][] = [
    ["Status", <MessageStatus key="s" status={message.status} />],
    ["Sender", message.senderId],
    ["Country", message.country ? `${countryName(message.country)} (${message.country})` : "—"],
    ["Encoding", message.encoding],
    ["Segments", message.segments],
    ["Cost", formatMoney(message.cost, message.currency)],
    ["Status code", message.statusCode ?? "—"],
    [
      "Sent with",
      key ? (
        <Link key="k" href={`/settings/api-keys/${key.id}`} className="font-medium text-indigo-800 hover:underline">
          {key.name}
        </Link>
      ) : message.keyId ? (
        <code key="k">{message.keyId}</code>
      ) : (
        // Every API send has a key; a message without one was sent from the Dashboard's composer.
        <span key="k">Send a test message (portal)</span>
      ),
    ],
    [
      "Message ID",
      <code key="m" className="break-all">
        {message.messageId}
      </code>,
    ],
  ];

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/messages" className="text-indigo-800 hover:underline">
            ← Messages
          </Link>
        </p>
        <h1 className="mt-1 font-mono text-2xl font-semibold">{message.recipient}</h1>
        <p className="mt-1 text-sm text-slate-600">Accepted {formatDateTime(message.createdAt.toISOString())}</p>
      </div>
      {mode === "test" ? <TestDataBanner /> : null}
      {message.failure ? <FailurePanel failure={message.failure} /> : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="details" className="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
          <h2 id="details" className="text-base font-semibold">
            Details
          </h2>
          <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
            {facts.map(([label, value]) => (
              <div key={label} className={label === "Message ID" ? "col-span-2 min-w-0" : "min-w-0"}>
                <dt className="text-slate-600">{label}</dt>
                <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
          <div className="mt-4">
            <h3 className="text-sm text-slate-600">Text</h3>
            <p className="mt-1 rounded-md bg-slate-50 p-3 text-sm break-words whitespace-pre-wrap">{message.body}</p>
          </div>
        </section>

        <section aria-labelledby="history" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="history" className="text-base font-semibold">
            Status history
          </h2>
          <ol aria-labelledby="history" className="mt-3 space-y-4">
            {message.steps.map((step) => (
              <li key={step.label} className="flex gap-3">
                <span aria-hidden className={`mt-1.5 size-2.5 shrink-0 rounded-full ${STEP_DOT[step.state]}`} />
                <div className="text-sm">
                  <p className="font-medium">{step.label}</p>
                  <p className="text-slate-600">{step.at ? formatDateTime(step.at.toISOString()) : "Not yet"}</p>
                  {step.detail ? <p className="mt-0.5 text-slate-700">{step.detail}</p> : null}
                </div>
              </li>
            ))}
          </ol>
        </section>
      </div>

      <section aria-labelledby="webhooks" className="space-y-2">
        <h2 id="webhooks" className="text-base font-semibold">
          Delivery webhook attempts
        </h2>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-600">No delivery event was sent for this message (none configured, or no final status yet).</p>
        ) : (
          <Table caption="Delivery webhook attempts for this message">
            <thead className={tableHeadClass}>
              <tr>
                <th scope="col" className="px-3 py-2">
                  Time
                </th>
                <th scope="col" className="px-3 py-2">
                  Attempt
                </th>
                <th scope="col" className="px-3 py-2">
                  Result
                </th>
                <th scope="col" className="px-3 py-2">
                  URL
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Latency
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(d.createdAt.toISOString())}</td>
                  <td className="px-3 py-2">{d.attempt}</td>
                  <td className="px-3 py-2">
                    {d.success ? `OK (${d.responseStatus})` : d.responseStatus ? `HTTP ${d.responseStatus}` : (d.error ?? "Failed")}
                  </td>
                  <td className="max-w-xs truncate px-3 py-2 font-mono text-xs" title={d.url}>
                    {d.url}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{d.durationMs === null ? "—" : `${d.durationMs} ms`}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </div>
  );
}
