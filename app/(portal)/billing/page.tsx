import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BalanceWarning } from "@/components/billing/balance-warning";
import { LowBalanceAlertForm } from "@/components/billing/low-balance-alert-form";
import { PaymentsTable } from "@/components/billing/payments-table";
import { PricesTable } from "@/components/billing/prices-table";
import { TopUp } from "@/components/billing/top-up";
import { getDb } from "@/db";
import { balanceState } from "@/lib/billing/alert";
import { billingSummary, paymentPage, priceTable } from "@/lib/billing/queries";
import { formatDateTime } from "@/lib/format/dates";
import { formatMoney } from "@/lib/format/money";
import { mayChange } from "@/lib/portal/define-action";
import { firstValues } from "@/lib/portal/search-params";
import { requirePortalContext } from "@/lib/portal/session";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const context = await requirePortalContext("billing.page");
  const db = await getDb();
  const { page } = firstValues(await searchParams);
  const [summary, state, payments, prices] = await Promise.all([
    billingSummary(db, context.workspaceId, context.organizationId),
    // The Dashboard's credit warning, from the same function.
    balanceState(db, context.workspaceId),
    paymentPage(db, context.workspaceId, Number(page ?? 1)),
    priceTable(db),
  ]);
  if (!summary) notFound();
  const { threshold } = summary;
  const canTopUp = mayChange(context, "billing.topup");
  const canManage = mayChange(context, "billing.manage");
  const workspace = { id: context.workspaceId, name: context.workspace.name, currency: summary.currency };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Billing</h1>
        <p className="mt-1 text-sm text-slate-600">Balance, payments and prices of the {context.workspace.name} workspace.</p>
      </div>
      <BalanceWarning state={state} canTopUp={canTopUp} />

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="balance-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="balance-heading" className="text-sm font-medium text-slate-600">
            Balance
          </h2>
          <p className="mt-1 text-3xl font-semibold tabular-nums">{formatMoney(summary.balance, summary.currency)}</p>
          <p className="mt-1 text-xs text-slate-600">Updated {formatDateTime(summary.updatedAt)}</p>
          {canTopUp ? (
            <div className="mt-4 space-y-2">
              <TopUp workspace={workspace} />
            </div>
          ) : (
            <p className="mt-4 text-sm text-slate-600">
              {context.workspace.archived ? "An archived workspace cannot be topped up." : "Owners and Billing members can top up."}
            </p>
          )}
        </section>
        <section aria-labelledby="alert-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="alert-heading" className="text-sm font-medium text-slate-600">
            Alerts
          </h2>
          <div className="mt-2">
            {canManage ? (
              <LowBalanceAlertForm workspace={workspace} threshold={threshold} />
            ) : (
              <dl className="text-sm">
                <dt className="font-medium text-slate-800">Low balance alert</dt>
                <dd className="mt-1 text-slate-700">
                  {threshold === null ? "None set" : `At ${formatMoney(threshold, summary.currency)} or less`}
                </dd>
              </dl>
            )}
          </div>
        </section>
      </div>

      <section aria-labelledby="payments-heading" className="space-y-3">
        <div>
          <h2 id="payments-heading" className="text-lg font-semibold">
            Payments
          </h2>
          <p className="text-sm text-slate-600">Every movement of the balance, newest first: top-ups, message charges and refunds.</p>
        </div>
        <PaymentsTable page={payments} />
      </section>

      <section aria-labelledby="prices-heading" className="space-y-3">
        <div>
          <h2 id="prices-heading" className="text-lg font-semibold">
            Prices
          </h2>
          <p className="text-sm text-slate-600">
            Per SMS segment, by network. A message to a country is billed at the highest price among its networks.
          </p>
        </div>
        <PricesTable prices={prices} />
      </section>
    </div>
  );
}
