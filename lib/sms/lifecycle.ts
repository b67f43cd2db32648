import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { ledgerEntries, messages, workspaces, type MessageStatus } from "@/db/schema";
import { toUnits, fromUnits } from "@/lib/billing/money";
import { QUEUES, type Queue } from "@/lib/jobs/queue";
import { enqueueDeliveryWebhook } from "@/lib/webhooks/deliver";
import type { Carrier, FinalReport } from "./carrier";

/**
 * A message's life after the send: pending → sent → DELIVRD | UNDELIV | REJECTD
 * | EXPIRED (| UNKNOWN), or pending → failed. Each step is one transaction that
 * only moves a message forward (a late or repeated report changes nothing), and
 * enqueues the delivery webhook of a final status in the same transaction.
 */
export type LifecycleDeps = { db: Db; queue: Queue; carriers: { live: Carrier; test: Carrier } };

export const STUCK_AFTER_MS = 3 * 24 * 3600 * 1000;

/** sms-submit: hand pending messages to their carrier; schedule the reports it promises. */
export async function handleSubmitJob(deps: LifecycleDeps, data: { ids: number[] }): Promise<void> {
  const rows = await deps.db
    .select()
    .from(messages)
    .where(and(inArray(messages.id, data.ids), eq(messages.status, "pending")));
  for (const mode of ["live", "test"] as const) {
    const batch = rows.filter((m) => m.mode === mode);
    if (batch.length === 0) continue;
    const carrier = deps.carriers[mode];
    // Thrown: pg-boss retries the job later with backoff (the carrier is down, not the message).
    if (!carrier.available()) throw new Error(`${carrier.name} is unavailable`);
    const { results, reports } = await carrier.submit(
      batch.map((m) => ({ messageId: m.messageId, recipient: m.recipient, senderId: m.senderId, body: m.body, segments: m.segments })),
    );
    await deps.db.transaction(async (tx) => {
      const now = new Date();
      for (const result of results) {
        if (result.accepted) {
          await tx
            .update(messages)
            .set({ status: "sent", sentAt: now, carrierMessageId: result.carrierMessageId, updatedAt: now })
            .where(and(eq(messages.messageId, result.messageId), eq(messages.status, "pending")));
        } else {
          await failAndRefund(tx, result.messageId, result.statusCode, deps.queue);
        }
      }
      for (const report of reports) {
        if (report.status === null) continue;
        await deps.queue.send(tx, QUEUES.smsReport, { messageId: report.messageId, status: report.status, statusCode: report.statusCode }, {
          startAfter: new Date(Date.now() + report.afterMs),
        });
      }
    });
  }
}

/** A refused submission: the message fails and, for live messages, its cost goes back to the balance. */
async function failAndRefund(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], messageId: string, statusCode: string, queue: Queue) {
  const [before] = await tx
    .select({ cost: messages.cost, mode: messages.mode, workspaceId: messages.workspaceId, currency: messages.currency })
    .from(messages)
    .where(and(eq(messages.messageId, messageId), eq(messages.status, "pending")))
    .for("update");
  if (!before) return;
  const [failed] = await tx
    .update(messages)
    .set({ status: "failed", statusCode, cost: "0", updatedAt: new Date() })
    .where(eq(messages.messageId, messageId))
    .returning();
  const refund = toUnits(before.cost);
  if (before.mode === "live" && refund > 0n) {
    await tx
      .update(workspaces)
      .set({ balance: sql`${workspaces.balance} + ${fromUnits(refund)}::numeric`, balanceUpdatedAt: new Date() })
      .where(eq(workspaces.id, before.workspaceId));
    await tx.insert(ledgerEntries).values({
      workspaceId: before.workspaceId,
      amount: fromUnits(refund),
      currency: before.currency,
      type: "adjustment",
      description: `Refund: message ${messageId} was not accepted by the carrier`,
      source: "system",
    });
  }
  await enqueueDeliveryWebhook(tx, queue, failed);
}

/** sms-report: a final status from the carrier. */
export async function handleReportJob(deps: LifecycleDeps, data: { messageId: string; status: FinalReport; statusCode: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = new Date();
    const [updated] = await tx
      .update(messages)
      .set({ status: data.status, statusCode: data.statusCode, deliveredAt: data.status === "DELIVRD" ? now : null, updatedAt: now })
      .where(and(eq(messages.messageId, data.messageId), inArray(messages.status, ["pending", "sent"] satisfies MessageStatus[])))
      .returning();
    if (updated) await enqueueDeliveryWebhook(tx, deps.queue, updated);
  });
}

/** Hourly: messages with no final status 3 days after their send become UNDELIV (batches of 1,000). */
export async function finalizeStuckMessages(deps: LifecycleDeps, now = Date.now()): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await deps.db.transaction(async (tx) => {
      const rows = await tx
        .update(messages)
        .set({ status: "UNDELIV", statusCode: "NO_REPORT", updatedAt: new Date(now) })
        .where(
          inArray(
            messages.id,
            tx
              .select({ id: messages.id })
              .from(messages)
              .where(and(inArray(messages.status, ["pending", "sent"] satisfies MessageStatus[]), lt(messages.createdAt, new Date(now - STUCK_AFTER_MS))))
              .limit(1000),
          ),
        )
        .returning();
      for (const row of rows) await enqueueDeliveryWebhook(tx, deps.queue, row);
      return rows.length;
    });
    total += done;
    if (done < 1000) return total;
  }
}

export const SANDBOX_RETENTION = { maxAgeMs: 24 * 3600 * 1000, perWorkspace: 500 };

/** Test messages are kept 24 h, and at most the last 500 per workspace. */
export async function pruneSandboxMessages(db: Db, now = Date.now()): Promise<number> {
  const old = await db
    .delete(messages)
    .where(and(eq(messages.mode, "test"), lt(messages.createdAt, new Date(now - SANDBOX_RETENTION.maxAgeMs))))
    .returning({ id: messages.id });
  const excess = await db.execute(sql`
    delete from messages where id in (
      select id from (
        select id, row_number() over (partition by workspace_id order by created_at desc, id desc) as rank
        from messages where mode = 'test'
      ) ranked where rank > ${SANDBOX_RETENTION.perWorkspace}
    ) returning id`);
  const excessCount = Array.isArray(excess) ? excess.length : ((excess as { rows?: unknown[] }).rows?.length ?? 0);
  return old.length + excessCount;
}
