import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { ledgerEntries, workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import type { ActorContext } from "@/lib/context/actor";
import { notFound, ServiceError } from "@/lib/errors/service-error";
import { toUnits, unitsToNumber } from "./money";
import type { LowBalanceAlertInput, TopUpInput } from "./schemas";

export type TopUpResult = {
  /** The ledger entry, as GET /user/payments names it (portal_P{n}). */
  entryId: string;
  amount: number;
  currency: string;
  /** The balance right after this top-up (or, for a repeated submission, now). */
  balance: number;
  /** True when this submission had already been recorded: nothing was added this time. */
  repeated: boolean;
};

/**
 * A portal top-up: one `adjustment` ledger entry (source `portal`, with the
 * actor), the balance raised by the same amount and one `billing.top_up` audit
 * event, in one transaction — all of it or none.
 *
 * Idempotent per form: the entry carries the form's idempotency key, and the
 * unique index (workspace, idempotency key) turns a second insert of the same
 * key into a no-op. A concurrent duplicate waits on the first one's index entry
 * until that commits, then finds it and returns it (`repeated`), so a double
 * submit adds funds once whatever the timing.
 *
 * `workspaceId` is the workspace the form was opened for; one outside the
 * actor's organization is "not found", as if it did not exist.
 */
export async function topUp(db: Db, ctx: ActorContext, input: TopUpInput): Promise<TopUpResult> {
  const actorUserId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  return db.transaction(async (tx) => {
    const [workspace] = await tx
      .select({ id: workspaces.id, currency: workspaces.currency })
      .from(workspaces)
      .where(and(eq(workspaces.id, input.workspaceId), eq(workspaces.organizationId, ctx.organizationId)));
    if (!workspace) throw notFound("Workspace");

    const [entry] = await tx
      .insert(ledgerEntries)
      .values({
        workspaceId: workspace.id,
        amount: input.amount,
        currency: workspace.currency,
        type: "adjustment",
        description: "Top-up in the portal",
        source: "portal",
        actorUserId,
        idempotencyKey: input.idempotencyKey,
      })
      .onConflictDoNothing({
        target: [ledgerEntries.workspaceId, ledgerEntries.idempotencyKey],
        where: sql`${ledgerEntries.idempotencyKey} IS NOT NULL`,
      })
      .returning({ id: ledgerEntries.id, amount: ledgerEntries.amount, currency: ledgerEntries.currency });

    if (!entry) {
      // This form was submitted before (and committed): answer with what it did.
      const [first] = await tx
        .select({ id: ledgerEntries.id, amount: ledgerEntries.amount, currency: ledgerEntries.currency })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.workspaceId, workspace.id), eq(ledgerEntries.idempotencyKey, input.idempotencyKey)));
      if (toUnits(first.amount) !== toUnits(input.amount)) {
        throw new ServiceError("CONFLICT", "This top-up was already submitted with another amount. Close the dialog and start again.");
      }
      const [now] = await tx.select({ balance: workspaces.balance }).from(workspaces).where(eq(workspaces.id, workspace.id));
      return result(first, now.balance, true);
    }

    const [after] = await tx
      .update(workspaces)
      .set({ balance: sql`${workspaces.balance} + ${input.amount}::numeric`, balanceUpdatedAt: new Date() })
      .where(eq(workspaces.id, workspace.id))
      .returning({ balance: workspaces.balance });
    const before = toUnits(after.balance) - toUnits(entry.amount);
    await recordAudit(
      tx,
      { ...ctx, workspaceId: workspace.id },
      {
        action: "billing.top_up",
        targetType: "workspace",
        targetId: String(workspace.id),
        changes: {
          amount: { before: null, after: unitsToNumber(toUnits(entry.amount)) },
          balance: { before: unitsToNumber(before), after: unitsToNumber(toUnits(after.balance)) },
          ledgerEntry: { before: null, after: `portal_P${entry.id}` },
        },
      },
    );
    return result(entry, after.balance, false);
  });
}

function result(entry: { id: number; amount: string; currency: string }, balance: string, repeated: boolean): TopUpResult {
  return {
    entryId: `portal_P${entry.id}`,
    amount: unitsToNumber(toUnits(entry.amount)),
    currency: entry.currency,
    balance: unitsToNumber(toUnits(balance)),
    repeated,
  };
}

/**
 * Sets (or, with null, removes) the workspace's low balance alert: the
 * Dashboard and the Billing page warn when the balance is at or below it.
 * Audited as `billing.low_balance_alert` when it changes; saving the same value
 * changes nothing and records nothing.
 */
export async function setLowBalanceAlert(db: Db, ctx: ActorContext, input: LowBalanceAlertInput): Promise<{ threshold: number | null }> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ threshold: workspaces.lowBalanceThreshold })
      .from(workspaces)
      .where(and(eq(workspaces.id, input.workspaceId), eq(workspaces.organizationId, ctx.organizationId)))
      .for("update");
    if (!before) throw notFound("Workspace");
    const was = before.threshold === null ? null : unitsToNumber(toUnits(before.threshold));
    const next = input.threshold === null ? null : unitsToNumber(toUnits(input.threshold));
    if (was === next) return { threshold: was };
    await tx.update(workspaces).set({ lowBalanceThreshold: input.threshold }).where(eq(workspaces.id, input.workspaceId));
    await recordAudit(
      tx,
      { ...ctx, workspaceId: input.workspaceId },
      {
        action: "billing.low_balance_alert",
        targetType: "workspace",
        targetId: String(input.workspaceId),
        changes: { lowBalanceThreshold: { before: was, after: next } },
      },
    );
    return { threshold: next };
  });
}
