import { formatMoney } from "@/lib/format/money";
import type { KeySpendToday } from "@/lib/keys/spend";

/**
 * (ours) The key page's "Spend today": what the key has spent in the UTC day
 * against its daily cap — a meter (accessible name "Spend today", docs/portal.md)
 * with the same numbers as text. Without a cap, a sentence saying so.
 */
export function KeySpendSection({ spend }: { spend: KeySpendToday }) {
  const money = (n: number) => formatMoney(n, spend.currency);
  const { cap, spent } = spend;
  const share = cap === null ? 0 : cap === 0 ? (spent > 0 ? 1 : 0) : Math.min(1, spent / cap);
  const tone = share >= 1 ? "bg-red-600" : share >= 0.8 ? "bg-amber-500" : "bg-indigo-600";
  const text = cap === null ? null : `${money(spent)} of ${money(cap)}`;

  return (
    <section aria-labelledby="spend-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="spend-heading" className="text-lg font-semibold">
        Spend today
      </h2>
      {cap === null ? (
        <p className="mt-2 text-sm text-slate-700">
          No daily spend cap. Edit the key to set one: a send that would go past it is refused whole.
        </p>
      ) : (
        <div className="mt-3 space-y-2">
          <div
            role="meter"
            aria-label="Spend today"
            aria-valuemin={0}
            aria-valuemax={cap}
            aria-valuenow={Math.min(spent, cap)}
            aria-valuetext={text!}
            className="h-3 w-full overflow-hidden rounded-full bg-slate-100"
          >
            <div className={`h-full rounded-full ${tone}`} style={{ width: `${(share * 100).toFixed(1)}%` }} />
          </div>
          <p className="text-sm text-slate-800">
            <span className="font-medium">{text}</span> spent today ({Math.round(share * 100)}%), {money(Math.max(0, cap - spent))} left.
          </p>
          <p className="text-xs text-slate-600">
            The day is the UTC day ({spend.day}); a send that would go past the cap is refused whole (402 KEY_SPEND_LIMIT).
          </p>
        </div>
      )}
    </section>
  );
}
