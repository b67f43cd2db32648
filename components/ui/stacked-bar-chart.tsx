"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type StackedSeries<K extends string> = { key: K; name: string; color: string };

/**
 * Bars stacked by series (for example sent → delivered / undelivered per day). The
 * chart is hidden from screen readers; a visually hidden table after it carries
 * the same numbers, under `caption`.
 */
export function StackedBarChart<K extends string>({
  data,
  series,
  caption,
  labelHeader,
}: {
  data: ReadonlyArray<{ label: string } & Record<K, number>>;
  series: ReadonlyArray<StackedSeries<K>>;
  caption: string;
  labelHeader: string;
}) {
  return (
    <>
      <div className="h-64 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={[...data]} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
            <Tooltip />
            <Legend />
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} stackId="s" fill={s.color} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {/* The wrapper clips it: a visually hidden table alone keeps its content width and would widen a phone's page. */}
      <div className="sr-only">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {series.map((s) => (
                  <td key={s.key}>{row[s.key]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
