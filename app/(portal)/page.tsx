import type { Metadata } from "next";
import Link from "next/link";
import { ExpiringKeysPanel } from "@/components/dashboard/expiring-keys";
import { MessageComposer } from "@/components/dashboard/message-composer";
import { MessageStatus } from "@/components/messages/message-status";
import { TestDataBanner, TestDataSwitch } from "@/components/traffic/test-data-switch";
import { StackedBarChart } from "@/components/ui/stacked-bar-chart";
import { Table, tableHeadClass } from "@/components/ui/table";
import { getDb } from "@/db";
import { balanceState } from "@/lib/billing/alert";
import { formatDateTime } from "@/lib/format/dates";
import { formatMoney } from "@/lib/format/money";
import { listExpiringKeys } from "@/lib/keys/service";
import { hasPortalRight } from "@/lib/permissions/catalog";
import { mayChange } from "@/lib/portal/define-action";
import { requirePortalContext } from "@/lib/portal/session";
import { readTrafficMode } from "@/lib/portal/traffic-mode";
import { dashboardTraffic } from "@/lib/sms/dashboard";

export const metadata: Metadata = { title: "Dashboard" };

const num = (n: number) => n.toLocaleString("en-GB");

/**
 * The Dashboard: every member sees the balance and its warning; traffic only those with
 * traffic.page (not Billing); keys expiring within 7 days those with keys.page (not Viewers);
 * "Send a test message" those with messages.send (not Viewers nor Billing).
 */
export default async function DashboardPage() {
  const context = await requirePortalContext();
  const db = await getDb();
  const traffic = hasPortalRight(context.role, "traffic.page");
  const mode = await readTrafficMode();
  const [balance, data, expiring] = await Promise.all([
    balanceState(db, context.workspaceId),
    traffic ? dashboardTraffic(db, { workspaceId: context.workspaceId, mode }) : null,
    // The keys list's visibility: only the keys this person may see on the keys page.
    hasPortalRight(context.role, "keys.page") ? listExpiringKeys(db, context) : null,
  ]);
  const warning = balance.blocked
    ? "Sending is blocked: the balance cannot pay for a message. Top up to send again."
    : balance.low
      ? `The balance is at or below the low balance alert (${formatMoney(balance.threshold ?? 0, balance.currency)}).`
      : null;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Dashboard</h1>
          <p className="mt-1 text-sm text-slate-600">The {context.workspace.name} workspace at a glance.</p>
        </div>
        {traffic ? <TestDataSwitch test={mode === "test"} /> : null}
      </div>
      {traffic && mode === "test" ? <TestDataBanner /> : null}

      <div className="grid gap-4 lg:grid-cols-2 lg:items-start">
        <section aria-labelledby="balance-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="balance-heading" className="text-sm text-slate-600">
            Balance
          </h2>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{formatMoney(balance.balance, balance.currency)}</p>
          {warning ? (
            <p
              role="alert"
              className={`mt-3 rounded-md border px-3 py-2 text-sm ${balance.blocked ? "border-red-200 bg-red-50 text-red-800" : "border-amber-300 bg-amber-50 text-amber-900"}`}
            >
              {warning}
              {hasPortalRight(context.role, "billing.page") ? (
                <>
                  {" "}
                  <Link href="/billing" className="font-medium underline">
                    Go to Billing
                  </Link>
                </>
              ) : null}
            </p>
          ) : null}
        </section>
        {expiring ? <ExpiringKeysPanel keys={expiring} /> : null}
      </div>

      {data ? (
        <>
          <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            {[
              ["Messages today", num(data.today.total_sent)],
              ["Messages this week", num(data.week.total_sent)],
              ["Delivery rate (7 days)", `${data.week.delivery_rate}%`],
              ["Spend (7 days)", formatMoney(data.week.total_cost, data.week.currency)],
            ].map(([label, value]) => (
              <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
                <dt className="text-sm text-slate-600">{label}</dt>
                <dd className="mt-1 text-xl font-semibold tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>

          <section aria-labelledby="chart-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="chart-heading" className="text-lg font-semibold">
              Last 30 days
            </h2>
            <StackedBarChart
              caption="Messages per day over the last 30 days: sent, delivered, undelivered"
              labelHeader="Day"
              series={[
                { key: "delivered", name: "Delivered", color: "#15803d" },
                { key: "undelivered", name: "Undelivered", color: "#b91c1c" },
                { key: "other", name: "Sent, not yet final", color: "#94a3b8" },
              ]}
              data={data.days.map((d) => ({
                label: d.date.slice(5),
                delivered: d.delivered,
                undelivered: d.undelivered,
                other: d.sent - d.delivered - d.undelivered,
              }))}
            />
          </section>

          <section aria-labelledby="recent-heading" className="space-y-3">
            <div className="flex items-center justify-between">
              <h2 id="recent-heading" className="text-lg font-semibold">
                Recent messages
              </h2>
              <Link href="/messages" className="text-sm font-medium text-indigo-800 hover:underline">
                All messages →
              </Link>
            </div>
            <Table caption="Recent messages">
              <thead className={tableHeadClass}>
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Recipient
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Status
                  </th>
                  <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                    Sent
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.recent.map((m) => (
                  <tr key={m.messageId}>
                    <td className="px-3 py-2 font-mono whitespace-nowrap">
                      <Link href={`/messages/${encodeURIComponent(m.messageId)}`} className="font-medium text-indigo-800 hover:underline">
                        {m.recipient}
                      </Link>
                    </td>
                    <td className="px-3 py-2">
                      <MessageStatus status={m.status} />
                    </td>
                    <td className="hidden px-3 py-2 whitespace-nowrap text-slate-700 sm:table-cell">
                      {formatDateTime(m.createdAt.toISOString())}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatMoney(m.cost, m.currency)}</td>
                  </tr>
                ))}
                {data.recent.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="px-3 py-8 text-center text-slate-600">
                      No messages in the last 30 days{mode === "test" ? " in test data" : ""}.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </Table>
          </section>
        </>
      ) : null}

      {/* mayChange: not in an archived workspace (its data is read-only), by the rule the action enforces. */}
      {mayChange(context, "messages.send") ? (
        <MessageComposer canSendLive={mayChange(context, "messages.send_live")} currency={balance.currency} />
      ) : null}
    </div>
  );
}
