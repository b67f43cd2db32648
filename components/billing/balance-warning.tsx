import { formatMoney } from "@/lib/format/money";

/** The credit warning: live sends are refused (blocked), or the balance is at or below the low balance alert. */
export function BalanceWarning({
  state,
  canTopUp,
}: {
  state: { balance: number; currency: string; threshold: number | null; low: boolean; blocked: boolean };
  canTopUp: boolean;
}) {
  if (!state.blocked && !state.low) return null;
  const action = canTopUp ? "Top up to keep sending." : "Ask an Owner or a Billing member to top up.";
  if (state.blocked) {
    return (
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
        <strong className="font-semibold">Sending is blocked.</strong> The balance ({formatMoney(state.balance, state.currency)}) does not
        cover a message: live sends are refused. {action}
      </div>
    );
  }
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <strong className="font-semibold">The balance is low.</strong> {formatMoney(state.balance, state.currency)} is at or below the low
      balance alert ({formatMoney(state.threshold ?? 0, state.currency)}). {action}
    </div>
  );
}
