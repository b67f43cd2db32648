/**
 * balance.low (ours; docs/api-v1.md §5): sent when a debit takes the balance
 * from above the workspace's low balance alert to at or below it — once per
 * crossing, re-armed only by the balance going back above the threshold.
 *
 * The crossing is decided by the debit's own UPDATE, from the values it wrote:
 * `balance ≤ threshold < balance + cost` (before above, after at or below).
 * Debits of a workspace are serialized on its row (each UPDATE waits for the
 * previous one's commit and then reads the committed balance), so in any
 * sequence of debits, on any number of instances, exactly one crosses until
 * something raises the balance above the threshold again (a top-up, a refund);
 * the next crossing is then a new one. No flag can drift from the balance,
 * and a path that raises the balance needs to do nothing to re-arm.
 *
 * Setting or changing the threshold sends nothing: only a debit crosses.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { workspaces } from "@/db/schema";
import { enqueueAccountEvent, type QueueRef } from "@/lib/webhooks/account-events";
import { fromUnits, toUnits, unitsToNumber } from "./money";

/** For a debit's RETURNING: whether this debit of `cost` units took the (new) balance across the threshold. */
export function crossedLowBalance(cost: bigint): SQL<boolean> {
  const threshold = workspaces.lowBalanceThreshold;
  return sql<boolean>`(${threshold} IS NOT NULL AND ${workspaces.balance} <= ${threshold} AND ${workspaces.balance} + ${fromUnits(cost)}::numeric > ${threshold})`;
}

/** Enqueues balance.low in the debit's transaction (to the live settings, when they subscribe). */
export async function enqueueBalanceLow(
  tx: DbOrTx,
  queue: QueueRef,
  after: { workspaceId: number; balance: string; threshold: string; currency: string },
): Promise<boolean> {
  return enqueueAccountEvent(tx, queue, {
    workspaceId: after.workspaceId,
    mode: "live",
    event: "balance.low",
    keyId: null,
    values: {
      balance: unitsToNumber(toUnits(after.balance)),
      threshold: unitsToNumber(toUnits(after.threshold)),
      currency: after.currency,
    },
  });
}
