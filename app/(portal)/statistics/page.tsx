import type { Metadata } from "next";
import { PeriodPicker } from "@/components/statistics/period-picker";
import { TestDataBanner, TestDataSwitch } from "@/components/traffic/test-data-switch";
import { StackedBarChart } from "@/components/ui/stacked-bar-chart";
import { Table, tableHeadClass } from "@/components/ui/table";
import { getDb } from "@/db";
import { formatMoney } from "@/lib/format/money";
import { firstValues, queryErrors } from "@/lib/portal/search-params";
import { requirePortalContext } from "@/lib/portal/session";
import { readTrafficMode } from "@/lib/portal/traffic-mode";
import { statisticsReport } from "@/lib/sms/statistics";

export const metadata: Metadata = { title: "Statistics" };

const SERIES = [
  { key: "delivered", name: "Delivered", color: "#15803d" },
  { key: "undelivered", name: "Undelivered", color: "#b91c1c" },
  { key: "other", name: "Pending or expired", color: "#94a3b8" },
] as const;

const num = (n: number) => n.toLocaleString("en-GB");

export default async function StatisticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const context = await requirePortalContext("traffic.page");
  const mode = await readTrafficMode();
  const values = firstValues(await searchParams);
  // The API's own query schema and functions (lib/sms/statistics.ts): the same numbers as GET /sms/stats*.
  const result = await statisticsReport(await getDb(), { workspaceId: context.workspaceId, mode }, values);
  const errors = result.ok ? {} : queryErrors(result.issues);
  const report = result.ok ? result.report : null;
  const t = report?.totals;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Statistics</h1>
          <p className="mt-1 text-sm text-slate-600">
            Delivery and spend of the {context.workspace.name} workspace
            {report ? `: ${report.period.from} to ${report.period.to} (UTC)` : ""}. The same numbers as <code>GET /api/v1/sms/stats</code>.
          </p>
        </div>
        <TestDataSwitch test={mode === "test"} />
      </div>
      {mode === "test" ? <TestDataBanner /> : null}
      <PeriodPicker values={values} errors={errors} />

      {report && t ? (
        <>
          <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            {[
              ["Messages", num(t.total_sent)],
              ["Delivered", num(t.delivered)],
              ["Undelivered", num(t.undelivered)],
              ["Pending", num(t.pending)],
              ["Expired", num(t.expired)],
              ["Not billed", num(t.not_billed)],
              ["Delivery rate", `${t.delivery_rate}%`],
              ["Spend", formatMoney(t.total_cost, t.currency)],
            ].map(([label, value]) => (
              <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
                <dt className="text-sm text-slate-600">{label}</dt>
                <dd className="mt-1 text-xl font-semibold tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>

          <section aria-labelledby="daily-heading" className="space-y-3">
            <h2 id="daily-heading" className="text-lg font-semibold">
              Daily
            </h2>
            <div className="rounded-lg border border-slate-200 bg-white p-4">
              <StackedBarChart
                caption="Messages per day by outcome"
                labelHeader="Day"
                series={SERIES}
                data={report.days.map((d) => ({
                  label: d.date,
                  delivered: d.delivered,
                  undelivered: d.undelivered,
                  other: d.pending + d.expired,
                }))}
              />
            </div>
            <Table caption="Daily">
              <thead className={tableHeadClass}>
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Day
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Messages
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Delivered
                  </th>
                  <th scope="col" className="hidden px-3 py-2 text-right sm:table-cell">
                    Undelivered
                  </th>
                  <th scope="col" className="hidden px-3 py-2 text-right md:table-cell">
                    Delivery rate
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Spend
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {[...report.days].reverse().map((d) => (
                  <tr key={d.date}>
                    <th scope="row" className="px-3 py-2 text-left font-normal whitespace-nowrap">
                      {d.date}
                    </th>
                    <td className="px-3 py-2 text-right tabular-nums">{num(d.total_sent)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{num(d.delivered)}</td>
                    <td className="hidden px-3 py-2 text-right tabular-nums sm:table-cell">{num(d.undelivered)}</td>
                    <td className="hidden px-3 py-2 text-right tabular-nums md:table-cell">{d.delivery_rate}%</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatMoney(d.total_cost, d.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </section>

          <section aria-labelledby="country-heading" className="space-y-3">
            <h2 id="country-heading" className="text-lg font-semibold">
              By country
            </h2>
            {report.countries.length > 0 ? (
              <div className="rounded-lg border border-slate-200 bg-white p-4">
                <StackedBarChart
                  caption="Messages per country by outcome"
                  labelHeader="Country"
                  series={SERIES}
                  data={report.countries.slice(0, 15).map((c) => ({
                    label: c.country_name,
                    delivered: c.delivered,
                    undelivered: c.undelivered,
                    other: c.pending + c.expired,
                  }))}
                />
              </div>
            ) : null}
            <Table caption="By country">
              <thead className={tableHeadClass}>
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Country
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Messages
                  </th>
                  <th scope="col" className="hidden px-3 py-2 text-right sm:table-cell">
                    Delivered
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Delivery rate
                  </th>
                  <th scope="col" className="hidden px-3 py-2 text-right sm:table-cell">
                    Spend
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {report.countries.map((c) => (
                  <tr key={c.country}>
                    <th scope="row" className="px-3 py-2 text-left font-normal">
                      {c.country_name}
                    </th>
                    <td className="px-3 py-2 text-right tabular-nums">{num(c.total_sent)}</td>
                    <td className="hidden px-3 py-2 text-right tabular-nums sm:table-cell">{num(c.delivered)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{c.delivery_rate}%</td>
                    <td className="hidden px-3 py-2 text-right tabular-nums sm:table-cell">{formatMoney(c.total_cost, c.currency)}</td>
                  </tr>
                ))}
                {report.countries.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="px-3 py-10 text-center text-slate-600">
                      No messages in this period{mode === "test" ? " in test data" : ""}.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </Table>
          </section>
        </>
      ) : (
        <p role="status" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          Check the highlighted period.
        </p>
      )}
    </div>
  );
}
