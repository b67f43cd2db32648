import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/format/dates";
import type { ExpiringKeys } from "@/lib/keys/service";

const daysLeft = (n: number) => (n <= 1 ? "1 day left" : `${n} days left`);

/** The Dashboard's "Keys expiring within 7 days": each key links to its page, with the days left. */
export function ExpiringKeysPanel({ keys }: { keys: ExpiringKeys }) {
  const more = keys.total - keys.rows.length;
  return (
    <section aria-labelledby="expiring-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="expiring-heading" className="text-lg font-semibold">
          Keys expiring within 7 days
        </h2>
        <Link href="/settings/api-keys?sort=expiresAt&dir=asc" className="text-sm font-medium text-indigo-800 hover:underline">
          All keys →
        </Link>
      </div>
      {keys.rows.length === 0 ? (
        <p className="text-sm text-slate-600">No active key expires in the next 7 days.</p>
      ) : (
        <ul aria-labelledby="expiring-heading" className="divide-y divide-slate-100">
          {keys.rows.map((k) => (
            <li key={k.id} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-2">
              <div className="min-w-0">
                <Link
                  href={`/settings/api-keys/${encodeURIComponent(k.id)}`}
                  className="font-medium break-words text-indigo-800 hover:underline"
                >
                  {k.name}
                </Link>
                <p className="font-mono text-xs text-slate-600">{k.display}</p>
              </div>
              <div className="flex items-center gap-2 text-sm">
                <span className="text-slate-600">{formatDateTime(k.expiresAt)}</span>
                <Badge tone={k.daysLeft <= 1 ? "red" : "amber"}>{daysLeft(k.daysLeft)}</Badge>
              </div>
            </li>
          ))}
        </ul>
      )}
      {more > 0 ? (
        <p className="text-sm text-slate-600">
          And {more} more:{" "}
          <Link href="/settings/api-keys?sort=expiresAt&dir=asc" className="font-medium text-indigo-800 underline">
            see them on the keys page
          </Link>
          .
        </p>
      ) : null}
    </section>
  );
}
