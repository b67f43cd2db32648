import { defineAction } from "@/lib/portal/define-action";
import { lowBalanceAlertSchema, topUpSchema } from "@/lib/billing/schemas";
import { setLowBalanceAlert, topUp } from "@/lib/billing/top-up";

/**
 * The Billing page's server actions, as plain functions of (env, input) so tests
 * call exactly what the browser calls; ./server-actions/billing.ts ("use server")
 * binds them to the request's session.
 */
export const billingActions = {
  // "Top up": Owner and Billing only (billing.topup).
  topUp: defineAction({ right: "billing.topup", schema: topUpSchema }, ({ db, context }, input) => topUp(db, context, input)),
  // "Low balance alert": billing.manage (Owner, Admin, Billing).
  setLowBalanceAlert: defineAction({ right: "billing.manage", schema: lowBalanceAlertSchema }, ({ db, context }, input) =>
    setLowBalanceAlert(db, context, input),
  ),
};
