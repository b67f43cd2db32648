import type { Metadata } from "next";
import Link from "next/link";
import { MessageFilters } from "@/components/messages/message-filters";
import { MessageStatus } from "@/components/messages/message-status";
import { FAILURE_CATEGORY_LABELS } from "@/lib/sms/status-codes";
import { Table, tableHeadClass } from "@/components/ui/table";
import { TestDataBanner, TestDataSwitch } from "@/components/traffic/test-data-switch";
import { getDb } from "@/db";
import { formatDateTime } from "@/lib/format/dates";
import { formatMoney } from "@/lib/format/money";
import { firstValues, queryErrors } from "@/lib/portal/search-params";
import { requirePortalContext } from "@/lib/portal/session";
import { readTrafficMode } from "@/lib/portal/traffic-mode";
import { unifiedQuery } from "@/lib/sms/filters";
import { MESSAGE_ORDERS, messagePage, type MessageOrder } from "@/lib/sms/history";
import { countryName } from "@/lib/sms/phone";

export const metadata: Metadata = { title: "Messages" };

export default async function MessagesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const context = await requirePortalContext("traffic.page");
  const mode = await readTrafficMode();
  const values = firstValues(await searchParams);
  const order: MessageOrder = MESSAGE_ORDERS.find((o) => o === values.order) ?? "newest";
  // The same query schema as GET /sms/messages/unified: the page and the API filter alike.
  const parsed = unifiedQuery.safeParse({ ...values, limit: values.limit ?? "25" });
  const errors = parsed.success ? {} : queryErrors(parsed.error.issues);
  const result = parsed.success ? await messagePage(await getDb(), { workspaceId: context.workspaceId, mode }, parsed.data, order) : null;

  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(values);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `?${next.toString()}`;
  };
  const exportHref = `/messages/export?${new URLSearchParams(Object.entries(values).filter(([k]) => !["page", "limit", "order"].includes(k)))}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Messages</h1>
          <p className="mt-1 text-sm text-slate-600">
            What the {context.workspace.name} workspace sent{result ? `: ${result.period.from} to ${result.period.to} (UTC)` : ""}.
          </p>
        </div>
        <div className="flex items-center gap-4">
          <TestDataSwitch test={mode === "test"} />
          {result ? (
            <a
              href={exportHref}
              className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
              download
            >
              Export CSV
            </a>
          ) : null}
        </div>
      </div>
      {mode === "test" ? <TestDataBanner /> : null}
      <MessageFilters values={values} errors={errors} />

      {result ? (
        <>
          <Table caption={`Messages, ${order === "newest" ? "newest" : "oldest"} first, page ${result.page} of ${result.total_pages}`}>
            <thead className={tableHeadClass}>
              <tr>
                <th scope="col" className="hidden px-3 py-2 sm:table-cell" aria-sort={order === "newest" ? "descending" : "ascending"}>
                  <Link href={link({ order: order === "newest" ? "oldest" : null, page: null })} className="hover:underline">
                    Sent {order === "newest" ? "↓" : "↑"}
                  </Link>
                </th>
                <th scope="col" className="px-3 py-2">
                  Recipient
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="hidden px-3 py-2 md:table-cell">
                  Sender
                </th>
                <th scope="col" className="hidden px-3 py-2 md:table-cell">
                  Country
                </th>
                <th scope="col" className="hidden px-3 py-2 text-right sm:table-cell">
                  Segments
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.rows.map((m) => (
                <tr key={m.messageId} className="hover:bg-slate-50">
                  <td className="hidden px-3 py-2 whitespace-nowrap text-slate-700 sm:table-cell">
                    {formatDateTime(m.createdAt.toISOString())}
                  </td>
                  <td className="px-3 py-2 font-mono whitespace-nowrap">
                    <Link href={`/messages/${encodeURIComponent(m.messageId)}`} className="font-medium text-indigo-800 hover:underline">
                      {m.recipient}
                    </Link>
                    <span className="block font-sans text-xs text-slate-600 sm:hidden">{formatDateTime(m.createdAt.toISOString())}</span>
                  </td>
                  <td className="px-3 py-2">
                    <MessageStatus status={m.status} />
                    {m.failure ? (
                      <span className="mt-0.5 block text-xs text-slate-600">{FAILURE_CATEGORY_LABELS[m.failure.category]}</span>
                    ) : null}
                  </td>
                  <td className="hidden px-3 py-2 md:table-cell">{m.senderId}</td>
                  <td className="hidden px-3 py-2 md:table-cell">{m.country ? countryName(m.country) : "—"}</td>
                  <td className="hidden px-3 py-2 text-right tabular-nums sm:table-cell">{m.segments}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatMoney(m.cost, m.currency)}</td>
                </tr>
              ))}
              {result.rows.length === 0 ? (
                <tr>
                  <td colSpan={7} className="px-3 py-10 text-center text-slate-600">
                    No messages match these filters{mode === "test" ? " in test data" : ""}.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </Table>
          <nav aria-label="Pagination" className="flex items-center justify-between text-sm text-slate-700">
            <p>
              {result.total.toLocaleString("en-GB")} message{result.total === 1 ? "" : "s"} · page {result.page} of {result.total_pages}
            </p>
            <div className="flex gap-2">
              {result.page > 1 ? (
                <Link
                  href={link({ page: String(result.page - 1) })}
                  className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100"
                >
                  Previous
                </Link>
              ) : null}
              {result.page < result.total_pages ? (
                <Link
                  href={link({ page: String(result.page + 1) })}
                  className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100"
                >
                  Next
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
