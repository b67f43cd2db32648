import { and, eq, getTableColumns, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { executeRows } from "@/db/client";
import { FINAL_STATUSES, ledgerEntries, MESSAGE_STATUSES, messages, workspaces, type MessageStatus } from "@/db/schema";
import { toUnits, fromUnits } from "@/lib/billing/money";
import { QUEUES, type Queue } from "@/lib/queue/queue";
import { releaseKeySpend } from "@/lib/keys/spend";
import { enqueueDeliveryWebhook, enqueueDeliveryWebhooks } from "@/lib/webhooks/deliver";
import type { Carrier, FinalReport } from "./carrier";

/**
 * A message's life after the send: pending → sent → DELIVRD | UNDELIV | REJECTD
 * | EXPIRED (| UNKNOWN), or pending → failed. Each step is one transaction that
 * only moves a message forward (a late or repeated report changes nothing), and
 * enqueues the delivery webhook of a final status in the same transaction.
 *
 * Steps work on whole batches with a constant number of statements: on the
 * embedded database every statement queues on its one connection, and one
 * UPDATE and one report job per message made load tests take minutes to drain.
 */
export type LifecycleDeps = { db: Db; queue: Queue; carriers: { live: Carrier; test: Carrier } };

export const STUCK_AFTER_MS = 3 * 24 * 3600 * 1000;
/** The status code of a message the finalizer gave up on (lib/sms/status-codes.ts explains it). */
export const NO_REPORT = "NO_REPORT";

/**
 * "Still pending" and "not final yet", spelled as NOT IN the other statuses.
 * Spelled `status = 'pending'` (or IN pending/sent), the condition matches the
 * partial index `messages_unfinished`, and with statistics taken while few
 * messages were unfinished the planner expects one row there and scans every
 * unfinished message for each batch instead of looking its messages up by
 * their unique id (measured under send load: ~400 ms per batch UPDATE).
 */
const stillPending = notInArray(
  messages.status,
  MESSAGE_STATUSES.filter((s) => s !== "pending"),
);
const notFinal = notInArray(messages.status, [...FINAL_STATUSES]);

/** One final status of one message, as an `sms-report` job carries it. */
export type Report = { messageId: string; status: FinalReport; statusCode: string };
/** `sms-report` data: a list of reports due at the same second; single reports are the shape of jobs enqueued before lists. */
export type ReportJob = { reports: Report[] } | Report;

const FINAL_REPORTS = new Set<string>(["DELIVRD", "UNDELIV", "REJECTD", "EXPIRED", "UNKNOWN"] satisfies FinalReport[]);

/** The reports of one job, of either shape. */
export function reportsOf(data: ReportJob): Report[] {
  return "reports" in data ? data.reports : [data];
}

/** sms-submit: hand pending messages to their carrier; schedule the reports it promises. */
export async function handleSubmitJob(deps: LifecycleDeps, data: { ids: number[] }): Promise<void> {
  const rows = await deps.db
    .select()
    .from(messages)
    .where(
      and(sql`${messages.id} in (select value::bigint from json_array_elements_text(${JSON.stringify(data.ids)}::json))`, stillPending),
    );
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
      const accepted = results.flatMap((r) => (r.accepted ? [{ message_id: r.messageId, carrier_message_id: r.carrierMessageId }] : []));
      if (accepted.length > 0) {
        // One statement for the batch; the list is ONE JSON parameter (drizzle would expand an array into a parameter per value).
        await tx
          .update(messages)
          .set({ status: "sent", sentAt: now, carrierMessageId: sql`v.carrier_message_id`, updatedAt: now })
          .from(sql`json_to_recordset(${JSON.stringify(accepted)}::json) as v(message_id text, carrier_message_id text)`)
          .where(and(sql`${messages.messageId} = v.message_id`, stillPending));
      }
      // Refusals are rare: each is refunded on its own.
      for (const result of results) if (!result.accepted) await failAndRefund(tx, result.messageId, result.statusCode, deps.queue);
      // One report job per due second, not per message (the sandbox has one delay; the simulator spreads them over a few seconds).
      const due = new Map<number, Report[]>();
      for (const report of reports) {
        if (report.status === null) continue;
        const second = Math.ceil((now.getTime() + report.afterMs) / 1000);
        const list = due.get(second) ?? due.set(second, []).get(second)!;
        list.push({ messageId: report.messageId, status: report.status, statusCode: report.statusCode });
      }
      for (const [second, list] of due) {
        await deps.queue.send(tx, QUEUES.smsReport, { reports: list } satisfies ReportJob, { startAfter: new Date(second * 1000) });
      }
    });
  }
}

/**
 * A refused submission: the message fails and, for live messages, its cost goes back to the balance.
 * Its cost also goes back to its key's spend of the day it was sent (ours: a capped key's cap counts
 * what was billed), before the balance: the send takes the same two row locks in that order.
 */
async function failAndRefund(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], messageId: string, statusCode: string, queue: Queue) {
  const [before] = await tx
    .select({
      cost: messages.cost,
      mode: messages.mode,
      workspaceId: messages.workspaceId,
      currency: messages.currency,
      keyId: messages.keyId,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(and(eq(messages.messageId, messageId), stillPending))
    .for("update");
  if (!before) return;
  const [failed] = await tx
    .update(messages)
    .set({ status: "failed", statusCode, cost: "0", updatedAt: new Date() })
    .where(eq(messages.messageId, messageId))
    .returning();
  const refund = toUnits(before.cost);
  if (before.keyId) await releaseKeySpend(tx, before.keyId, before.createdAt, refund);
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

/**
 * sms-report: final statuses from the carrier, applied with one UPDATE. Only
 * pending or sent messages move, so a late or repeated report changes nothing.
 */
export async function handleReportJob(deps: LifecycleDeps, data: ReportJob): Promise<void> {
  // The first report of a message wins, as if the list were applied one by one.
  const byMessage = new Map<string, { message_id: string; status: FinalReport; status_code: string }>();
  for (const report of reportsOf(data)) {
    // The column is plain text: a malformed job must fail (and be retried, then kept failed), not write a bogus status.
    if (typeof report?.messageId !== "string" || !FINAL_REPORTS.has(report.status)) {
      throw new Error(`not a final report: ${JSON.stringify(report)}`);
    }
    if (!byMessage.has(report.messageId)) {
      byMessage.set(report.messageId, { message_id: report.messageId, status: report.status, status_code: report.statusCode });
    }
  }
  if (byMessage.size === 0) return;
  await deps.db.transaction(async (tx) => {
    const now = new Date();
    const updated = await tx
      .update(messages)
      .set({
        status: sql`v.status`,
        statusCode: sql`v.status_code`,
        deliveredAt: sql`case when v.status = 'DELIVRD' then ${now.toISOString()}::timestamptz end`,
        updatedAt: now,
      })
      .from(sql`json_to_recordset(${JSON.stringify([...byMessage.values()])}::json) as v(message_id text, status text, status_code text)`)
      .where(and(sql`${messages.messageId} = v.message_id`, notFinal))
      // Explicit columns: with a FROM, drizzle's bare returning() types as never.
      .returning(getTableColumns(messages));
    await enqueueDeliveryWebhooks(tx, deps.queue, updated);
  });
}

/** Hourly: messages with no final status 3 days after their send become UNDELIV (batches of 1,000). */
export async function finalizeStuckMessages(deps: LifecycleDeps, now = Date.now()): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await deps.db.transaction(async (tx) => {
      const rows = await tx
        .update(messages)
        .set({ status: "UNDELIV", statusCode: NO_REPORT, updatedAt: new Date(now) })
        .where(
          inArray(
            messages.id,
            tx
              .select({ id: messages.id })
              .from(messages)
              .where(
                and(
                  inArray(messages.status, ["pending", "sent"] satisfies MessageStatus[]),
                  lt(messages.createdAt, new Date(now - STUCK_AFTER_MS)),
                ),
              )
              .limit(1000),
          ),
        )
        .returning();
      await enqueueDeliveryWebhooks(tx, deps.queue, rows);
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
  const excess = await executeRows(
    db,
    sql`
    delete from messages where id in (
      select id from (
        select id, row_number() over (partition by workspace_id order by created_at desc, id desc) as rank
        from messages where mode = 'test'
      ) ranked where rank > ${SANDBOX_RETENTION.perWorkspace}
    ) returning id`,
  );
  return old.length + excess.length;
}
