import Link from "next/link";
import { ActivityChart } from "./activity-chart";
import { formatDateTime } from "@/lib/format/dates";
import { ACTIVITY_PERIODS, type ActivityPeriod, type KeyActivity } from "@/lib/keys/activity";

const BUCKET_NAMES: Record<number, string> = { 1: "hour", 24: "day" };

/** What the chart's table holds, e.g. "Requests per 6 hours, last 7 days, by outcome". */
function chartCaption(period: ActivityPeriod): string {
  const { label, bucketHours } = ACTIVITY_PERIODS[period];
  return `Requests per ${BUCKET_NAMES[bucketHours] ?? `${bucketHours} hours`}, ${label.toLowerCase()}, by outcome`;
}

export function KeyActivitySection({ keyId, activity }: { keyId: string; activity: KeyActivity }) {
  const { totals } = activity;
  return (
    <section aria-labelledby="activity-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="activity-heading" className="text-lg font-semibold">
          Requests
        </h2>
        <nav aria-label="Period" className="flex gap-1 text-sm">
          {(Object.keys(ACTIVITY_PERIODS) as ActivityPeriod[]).map((p) => (
            <Link
              key={p}
              href={`/settings/api-keys/${keyId}?period=${p}`}
              aria-current={p === activity.period ? "page" : undefined}
              className={`rounded-md px-2 py-1 ${p === activity.period ? "bg-indigo-100 font-medium text-indigo-900" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {ACTIVITY_PERIODS[p].label}
            </Link>
          ))}
        </nav>
      </div>
      <p className="text-sm text-slate-700">
        {totals.requests} requests: {totals.success} succeeded, {totals.clientError} refused, {totals.serverError} failed.
      </p>
      <ActivityChart buckets={activity.buckets} hourly={activity.period === "24h"} caption={chartCaption(activity.period)} />

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <div>
          <h3 className="text-sm font-semibold">Error codes</h3>
          {activity.errorCodes.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">No errors in this period.</p>
          ) : (
            <table className="mt-1 w-full text-sm">
              <thead>
                <tr className="text-left text-slate-600">
                  <th scope="col" className="font-medium">
                    Code
                  </th>
                  <th scope="col" className="text-right font-medium">
                    Requests
                  </th>
                </tr>
              </thead>
              <tbody>
                {activity.errorCodes.map((e) => (
                  <tr key={e.code}>
                    <td className="font-mono text-xs">{e.code}</td>
                    <td className="text-right">{e.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3 className="text-sm font-semibold">Recent requests</h3>
          {activity.recent === null ? (
            <p className="mt-1 rounded-md bg-slate-100 p-2 text-sm text-slate-700">
              This key is off the record: its requests are not logged. The counts above still include them.
            </p>
          ) : activity.recent.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">No requests yet.</p>
          ) : (
            <div className="relative mt-1 overflow-x-auto">
              <table className="w-full text-sm">
                <thead>
                  <tr className="text-left text-slate-600">
                    <th scope="col" className="pr-3 font-medium">
                      When
                    </th>
                    <th scope="col" className="pr-3 font-medium">
                      Request
                    </th>
                    <th scope="col" className="pr-3 font-medium">
                      Status
                    </th>
                    <th scope="col" className="pr-3 font-medium">
                      Latency
                    </th>
                    <th scope="col" className="font-medium">
                      From
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {activity.recent.map((r) => (
                    <tr key={r.requestId} title={r.requestId}>
                      <td className="pr-3 whitespace-nowrap">{formatDateTime(r.at)}</td>
                      <td className="pr-3 font-mono text-xs">
                        {r.method} {r.path}
                      </td>
                      <td className="pr-3">
                        {r.status}
                        {r.errorCode ? <span className="ml-1 font-mono text-xs text-amber-800">{r.errorCode}</span> : null}
                      </td>
                      <td className="pr-3">{r.latencyMs} ms</td>
                      <td>{r.address ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
