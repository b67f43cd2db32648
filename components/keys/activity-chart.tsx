"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDateTime } from "@/lib/format/dates";
import type { ActivityBucket } from "@/lib/keys/activity";

const label = (iso: string, hourly: boolean) =>
  hourly ? `${iso.slice(11, 16)}` : `${iso.slice(5, 10)}${iso.slice(11, 13) === "00" ? "" : ` ${iso.slice(11, 16)}`}`;

/**
 * Requests over time, stacked by outcome (2xx, 4xx, 5xx). The chart is hidden from
 * screen readers; a visually hidden table after it carries the same numbers. recharts'
 * keyboard accessibility layer is off: it would make the aria-hidden chart focusable
 * (axe aria-hidden-focus), as in components/ui/stacked-bar-chart.tsx.
 */
export function ActivityChart({ buckets, hourly, caption }: { buckets: ActivityBucket[]; hourly: boolean; caption: string }) {
  const data = buckets.map((b) => ({ ...b, label: label(b.start, hourly) }));
  return (
    <>
      <div className="h-64 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
            <Tooltip />
            <Legend />
            <Bar dataKey="success" name="Success (2xx)" stackId="s" fill="#15803d" />
            <Bar dataKey="clientError" name="Refused (4xx)" stackId="s" fill="#d97706" />
            <Bar dataKey="serverError" name="Failed (5xx)" stackId="s" fill="#b91c1c" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      {/* The wrapper clips it: a visually hidden table alone keeps its content width and would widen a phone's page. */}
      <div className="sr-only">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">Success (2xx)</th>
              <th scope="col">Refused (4xx)</th>
              <th scope="col">Failed (5xx)</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.start}>
                <th scope="row">{formatDateTime(b.start)}</th>
                <td>{b.success}</td>
                <td>{b.clientError}</td>
                <td>{b.serverError}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
