import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, tableHeadClass } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format/dates";
import { formatMoney } from "@/lib/format/money";
import type { PaymentPage, PaymentRow } from "@/lib/billing/queries";

const TYPE_LABEL: Record<PaymentRow["type"], { label: string; tone: "green" | "slate" | "indigo" }> = {
  deposit: { label: "Deposit", tone: "green" },
  usage: { label: "Usage", tone: "slate" },
  adjustment: { label: "Adjustment", tone: "indigo" },
};
const SOURCE_LABEL: Record<PaymentRow["source"], string> = { portal: "Portal", api: "API", system: "System" };

/** Signed, so money in and money out read apart: "+€50.00", "−€0.07". */
function signed(amount: number, currency: string) {
  const text = formatMoney(Math.abs(amount), currency);
  return amount > 0 ? `+${text}` : amount < 0 ? `−${text}` : text;
}

/** The workspace's ledger (GET /user/payments' data), one page from the database; pages are links (?page=N). */
export function PaymentsTable({ page }: { page: PaymentPage }) {
  const href = (n: number) => (n <= 1 ? "?" : `?page=${n}`);
  const first = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const last = Math.min(page.page * page.pageSize, page.total);
  return (
    <div className="space-y-3">
      <Table caption="Payments">
        <thead className={tableHeadClass}>
          <tr>
            <th scope="col" className="px-3 py-2 whitespace-nowrap">
              Date
            </th>
            <th scope="col" className="px-3 py-2">
              Description
            </th>
            <th scope="col" className="hidden px-3 py-2 sm:table-cell">
              Type
            </th>
            <th scope="col" className="hidden px-3 py-2 md:table-cell">
              Source
            </th>
            <th scope="col" className="hidden px-3 py-2 lg:table-cell">
              ID
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Amount
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {page.rows.map((p) => (
            <tr key={p.id} className="hover:bg-slate-50">
              <td className="px-3 py-2 align-top text-slate-700 sm:whitespace-nowrap">{formatDateTime(p.date)}</td>
              <td className="px-3 py-2 align-top">
                <span className="text-slate-900">{p.description}</span>
                {p.actor ? <span className="block text-xs text-slate-600">by {p.actor}</span> : null}
              </td>
              <td className="hidden px-3 py-2 align-top sm:table-cell">
                <Badge tone={TYPE_LABEL[p.type].tone}>{TYPE_LABEL[p.type].label}</Badge>
              </td>
              <td className="hidden px-3 py-2 align-top md:table-cell">{SOURCE_LABEL[p.source]}</td>
              <td className="hidden px-3 py-2 align-top font-mono text-xs whitespace-nowrap text-slate-600 lg:table-cell">{p.id}</td>
              <td
                className={`px-3 py-2 text-right align-top whitespace-nowrap tabular-nums ${p.amount > 0 ? "font-medium text-green-800" : "text-slate-900"}`}
              >
                {signed(p.amount, p.currency)}
              </td>
            </tr>
          ))}
          {page.rows.length === 0 ? (
            <tr>
              <td colSpan={6} className="px-3 py-8 text-center text-slate-600">
                No payments yet. Top-ups and message charges appear here.
              </td>
            </tr>
          ) : null}
        </tbody>
      </Table>
      <nav aria-label="Payments pages" className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700">
        <p>{page.total === 0 ? "No entries" : `${first}–${last} of ${page.total.toLocaleString("en-GB")} entries`}</p>
        <div className="flex items-center gap-2">
          {page.page > 1 ? (
            <Link
              href={href(page.page - 1)}
              scroll={false}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100"
            >
              Previous page
            </Link>
          ) : null}
          <span>
            Page {page.page} of {page.pageCount}
          </span>
          {page.page < page.pageCount ? (
            <Link
              href={href(page.page + 1)}
              scroll={false}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100"
            >
              Next page
            </Link>
          ) : null}
        </div>
      </nav>
    </div>
  );
}
