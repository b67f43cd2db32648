"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import type { ActionResult } from "@/lib/portal/define-action";
import { billingActions } from "@/lib/portal/billing-actions";
import { getPortalContext } from "@/lib/portal/session";
import type { LowBalanceAlertValues, TopUpValues } from "@/lib/billing/schemas";
import type { TopUpResult } from "@/lib/billing/top-up";

// The browser's entry points: each binds the request's session and workspace to
// the action definitions in lib/portal/billing-actions.ts (which authorize and validate).

async function env() {
  const [db, context] = await Promise.all([getDb(), getPortalContext()]);
  return { db, context };
}

function refreshed<T>(result: ActionResult<T>): ActionResult<T> {
  // The balance shows on the Dashboard too.
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

// POST (server action) — add funds to the workspace the dialog was opened for.
export async function topUpAction(values: TopUpValues): Promise<ActionResult<TopUpResult>> {
  return refreshed(await billingActions.topUp(await env(), values));
}

// POST (server action) — set or clear the workspace's low balance alert.
export async function setLowBalanceAlertAction(values: LowBalanceAlertValues): Promise<ActionResult<{ threshold: number | null }>> {
  return refreshed(await billingActions.setLowBalanceAlert(await env(), values));
}
