"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ActivityBucket } from "@/lib/keys/activity";

const label = (iso: string, hourly: boolean) =>
  hourly ? `${iso.slice(11, 16)}` : `${iso.slice(5, 10)}${iso.slice(11, 13) === "00" ? "" : ` ${iso.slice(11, 16)}`}`;

/** Requests over time, stacked by outcome (2xx, 4xx, 5xx). The table below the chart carries the same numbers for screen readers. */
export function ActivityChart({ buckets, hourly }: { buckets: ActivityBucket[]; hourly: boolean }) {
  const data = buckets.map((b) => ({ ...b, label: label(b.start, hourly) }));
  return (
    <div className="h-64 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
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
  );
}
