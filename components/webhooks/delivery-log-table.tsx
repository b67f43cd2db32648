import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, tableHeadClass } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format/dates";
import { attemptStatus, type DeliveryLogRow } from "@/lib/webhooks/logs";
import { eventLabel, STATUS_LABELS } from "./delivery-log-filters";

const STATUS_TONE = { succeeded: "green", failed: "red", pending: "amber" } as const;

const th = "px-3 py-2";

/** What follows an attempt: nothing (it succeeded), the next attempt's time, or why none comes. */
function nextStep(row: DeliveryLogRow, attemptsInAll: number, now: Date): string {
  if (row.success) return "—";
  if (row.nextAttemptAt) {
    const at = formatDateTime(row.nextAttemptAt.toISOString());
    return row.nextAttemptAt > now ? `Retry at ${at}` : `Retried at ${at}`;
  }
  if (row.test) return "Not retried (test)";
  return row.attempt >= attemptsInAll ? `Gave up after ${row.attempt} attempts` : "Not retried";
}

/** The response: the receiver's status code, or the error when it gave none. */
function response(row: DeliveryLogRow): React.ReactNode {
  if (row.responseStatus !== null) return <span className="tabular-nums">{row.responseStatus}</span>;
  return <span className="text-red-800">{row.error ?? "No response"}</span>;
}

export function DeliveryLogTable({
  rows,
  caption,
  attemptsInAll,
  empty,
  now,
}: {
  /** The time the page was read at: what is still pending is judged against it. */
  now: Date;
  rows: DeliveryLogRow[];
  caption: string;
  attemptsInAll: number;
  empty: string;
}) {
  return (
    <Table caption={caption}>
      <thead className={tableHeadClass}>
        <tr>
          <th scope="col" className={`hidden sm:table-cell ${th}`}>
            Time
          </th>
          <th scope="col" className={th}>
            Event
          </th>
          <th scope="col" className={`hidden md:table-cell ${th}`}>
            Message or key, and URL
          </th>
          <th scope="col" className={`hidden sm:table-cell ${th} text-right`}>
            Attempt
          </th>
          <th scope="col" className={th}>
            Status
          </th>
          <th scope="col" className={th}>
            Response
          </th>
          <th scope="col" className={`hidden sm:table-cell ${th} text-right`}>
            Latency
          </th>
          <th scope="col" className={`hidden md:table-cell ${th}`}>
            Next retry
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => {
          const status = attemptStatus(row, now);
          return (
            <tr key={row.id} className="align-top hover:bg-slate-50">
              <td className={`hidden min-w-32 text-slate-700 sm:table-cell ${th}`}>{formatDateTime(row.createdAt.toISOString())}</td>
              <td className={th}>
                <span className="font-medium text-slate-900">{eventLabel(row.event)}</span>
                {row.test ? (
                  <span className="ml-1.5">
                    <Badge tone="purple">Test</Badge>
                  </span>
                ) : null}
                <span className="block text-xs text-slate-600 sm:hidden">{formatDateTime(row.createdAt.toISOString())}</span>
              </td>
              <td className={`hidden max-w-52 md:table-cell ${th}`}>
                {row.messageId && !row.test ? (
                  <Link
                    href={`/messages/${encodeURIComponent(row.messageId)}`}
                    className="block truncate font-mono text-xs text-indigo-800 hover:underline"
                    title={row.messageId}
                  >
                    {row.messageId}
                  </Link>
                ) : row.keyId && row.event.startsWith("key.") ? (
                  <Link
                    href={`/settings/api-keys/${encodeURIComponent(row.keyId)}`}
                    className="block truncate font-mono text-xs text-indigo-800 hover:underline"
                    title={row.keyId}
                  >
                    {row.keyId}
                  </Link>
                ) : (
                  <code className="block truncate text-xs text-slate-600" title={row.messageId ?? undefined}>
                    {row.messageId ?? "—"}
                  </code>
                )}
                <span className="block truncate font-mono text-xs text-slate-500" title={row.url}>
                  {row.url}
                </span>
              </td>
              <td className={`hidden sm:table-cell ${th} text-right tabular-nums`}>{row.attempt}</td>
              <td className={th}>
                <Badge tone={STATUS_TONE[status]}>{STATUS_LABELS[status]}</Badge>
              </td>
              <td className={`${th} max-w-48 break-words`}>{response(row)}</td>
              <td className={`hidden sm:table-cell ${th} text-right whitespace-nowrap tabular-nums`}>{row.durationMs} ms</td>
              <td className={`hidden min-w-36 md:table-cell ${th} text-slate-700`}>{nextStep(row, attemptsInAll, now)}</td>
            </tr>
          );
        })}
        {rows.length === 0 ? (
          <tr>
            <td colSpan={8} className="px-3 py-10 text-center text-slate-600">
              {empty}
            </td>
          </tr>
        ) : null}
      </tbody>
    </Table>
  );
}
