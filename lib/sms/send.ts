import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { executeRows, type Tx } from "@/db/client";
import { idempotencyKeys, ledgerEntries, messages, workspaces } from "@/db/schema";
import { ServiceError } from "@/lib/errors/service-error";
import { crossedLowBalance, enqueueBalanceLow } from "@/lib/billing/low-balance";
import { fromUnits, toUnits, unitsToNumber } from "@/lib/billing/money";
import { QUEUES, type Queue } from "@/lib/queue/queue";
import { reserveKeySpend, reserveSpendStatement, spendRefusal, type SpendRefusal } from "@/lib/keys/spend";
import type { VerifiedKey } from "@/lib/keys/verify";
import { log } from "@/lib/log";
import type { Carrier } from "./carrier";
import { newMessageId } from "./message-id";
import { priceTable } from "./pricing";
import type { SendBody } from "./send-input";
import { failureOf } from "./status-codes";

export type SendDeps = { db: Db; queue: Queue; carriers: { live: Carrier; test: Carrier } };
/**
 * Who sends: an API key, or a person in the portal ("Send a test message": no key,
 * `id` null). Only the workspace, the mode and the key's id matter to a send.
 */
export type SendOrigin = Pick<VerifiedKey, "workspaceId" | "mode" | "allowedCountries" | "dailySpendCap"> & { id: string | null };
export type SendRequest = {
  key: SendOrigin;
  requestId: string;
  idempotency: { key: string; bodyHash: string } | null;
  /** Where the live debit's ledger entry says it came from (default "api"). */
  ledgerSource?: "api" | "portal";
  /** Runs inside the send's transaction once the messages are stored (the portal's audit event); not on an idempotent replay. */
  onStored?: (tx: Tx, outcome: SendOutcome) => Promise<void>;
};
export type SendOutcome = { status: number; body: Record<string, unknown> };

/** A recipient refused before sending: stored as failed with this word as its status code (lib/sms/status-codes.ts). */
export const REFUSED_STATUSES = ["blocked_country", "config_error"] as const;
type RecipientStatus = "accepted" | (typeof REFUSED_STATUSES)[number];
type Planned = { dnis: string; country: string | null; status: RecipientStatus; cost: bigint; messageId: string };

export function hashBody(raw: string): string {
  return createHash("sha256").update(raw).digest("hex");
}

/**
 * POST /sms/send after validation: price, check and debit the balance, store
 * every recipient and enqueue the accepted ones for the carrier — all in ONE
 * transaction; a failure anywhere stores, debits and sends nothing.
 *
 * The debit is the transaction's LAST statement and a conditional one
 * (`balance = balance - cost WHERE balance >= cost`): concurrent sends of a
 * workspace can never take it below zero nor lose a debit, yet each holds the
 * workspace row's lock only from the debit to its commit, not while its rows
 * are written (measured: locking first made 10 concurrent 100-recipient sends
 * wait on each other, p99 383 ms). The balance read without lock before the work refuses
 * an obviously short balance early; the conditional debit is the guarantee.
 */
export async function sendSms(deps: SendDeps, request: SendRequest, input: SendBody): Promise<SendOutcome> {
  const { key } = request;
  const live = key.mode === "live";
  const carrier = deps.carriers[key.mode];
  if (!live && !carrier.available()) throw new ServiceError("SANDBOX_UNAVAILABLE", "The sandbox is unavailable");

  const [workspace] = await deps.db
    .select({ currency: workspaces.currency, blocked: workspaces.blockedCountries, balance: workspaces.balance })
    .from(workspaces)
    .where(eq(workspaces.id, key.workspaceId));
  const prices = await priceTable(deps.db);
  const blocked = new Set(workspace.blocked);
  const planned: Planned[] = input.to.map((r) => {
    const messageId = newMessageId(key.workspaceId);
    if (isBlocked(blocked, key.allowedCountries, r.country)) {
      return { dnis: r.e164, country: r.country, status: "blocked_country", cost: 0n, messageId };
    }
    const rate = prices.countryRate(r.country);
    if (rate === null) return { dnis: r.e164, country: r.country, status: "config_error", cost: 0n, messageId };
    return { dnis: r.e164, country: r.country, status: "accepted", cost: rate * BigInt(input.segments), messageId };
  });
  const accepted = planned.filter((p) => p.status === "accepted");
  const totalCost = accepted.reduce((sum, p) => sum + p.cost, 0n);
  // Keys are scoped per mode too: a live send must never be answered with a test send's (sandbox) response.
  const idempotency = request.idempotency && { ...request.idempotency, key: `${key.mode}:${request.idempotency.key}` };

  const refuse = (balance: bigint) =>
    new ServiceError(
      "INSUFFICIENT_BALANCE",
      balance <= 0n ? "The balance is used up: top up to send" : "The balance does not cover this send",
      undefined,
      {
        balance: unitsToNumber(balance),
        estimated_cost: unitsToNumber(totalCost),
        currency: workspace.currency,
        total_recipients: planned.length,
        billable_recipients: accepted.length,
        segments: input.segments,
      },
    );
  const covers = (balance: bigint) => balance > 0n && balance >= totalCost;

  try {
    return await deps.db.transaction(async (tx) => {
      if (idempotency) {
        const replay = await claimIdempotencyKey(tx, key.workspaceId, idempotency);
        if (replay) return replay;
      }
      // Early refusal from the balance read above (no lock); the debit below decides.
      if (live && !covers(toUnits(workspace.balance))) throw refuse(toUnits(workspace.balance));

      const rows = await insertMessages(
        tx,
        planned.map((p) => ({
          message_id: p.messageId,
          workspace_id: key.workspaceId,
          key_id: key.id,
          mode: key.mode,
          recipient: p.dnis,
          country: p.country,
          sender_id: input.senderId,
          body: input.message,
          encoding: input.encoding,
          segments: input.segments,
          cost: fromUnits(p.cost),
          currency: workspace.currency,
          // Refused recipients are stored as failed and never billed.
          status: p.status === "accepted" ? "pending" : "failed",
          status_code: p.status === "accepted" ? null : p.status,
        })),
      );

      if (live && totalCost > 0n) {
        await tx.insert(ledgerEntries).values({
          workspaceId: key.workspaceId,
          amount: fromUnits(-totalCost),
          currency: workspace.currency,
          type: "usage",
          description: `SMS to ${accepted.length} recipient${accepted.length === 1 ? "" : "s"} (${request.requestId})`,
          source: request.ledgerSource ?? "api",
        });
      }

      const pendingIds = rows.filter((r) => r.status === "pending").map((r) => r.id);
      if (pendingIds.length) await deps.queue.send(tx, QUEUES.smsSubmit, { ids: pendingIds });

      const outcome: SendOutcome = { status: 200, body: responseBody(planned, input, totalCost, !live) };
      if (idempotency) {
        await tx
          .update(idempotencyKeys)
          .set({ statusCode: outcome.status, response: outcome.body })
          .where(and(eq(idempotencyKeys.workspaceId, key.workspaceId), eq(idempotencyKeys.key, idempotency.key)));
      }
      if (request.onStored) await request.onStored(tx, outcome);
      // The key's daily cap (ours), when it has one: one conditional upsert, its row lock held to the commit
      // like the debit's — for a live send inside the debit's own statement, before the balance row (the
      // order a refund takes the same locks, lib/sms/lifecycle.ts). None at all for a key without a cap.
      const capped =
        key.dailySpendCap === null || key.id === null
          ? null
          : { keyId: key.id, over: (o: SpendRefusal) => overCap(o, totalCost, workspace.currency) };
      if (live) await debit(tx, deps.queue, key.workspaceId, totalCost, covers, refuse, capped);
      else if (capped) {
        const over = await reserveKeySpend(tx, capped.keyId, totalCost);
        if (over) throw capped.over(over);
      }
      return outcome;
    });
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    log.error({ err: error, requestId: request.requestId }, "send failed; nothing stored");
    throw new ServiceError(
      "NOT_STORED",
      `The messages could not be stored; nothing was sent or billed (request ${request.requestId}). Safe to retry.`,
      undefined,
      {
        request_id: request.requestId,
      },
    );
  }
}

/**
 * A recipient the send refuses as `blocked_country`: its country is blocked for
 * the workspace, or (ours) the key has allowed countries and this is not one of
 * them — a number of no country included.
 */
export function isBlocked(blocked: ReadonlySet<string>, allowed: readonly string[], country: string | null): boolean {
  if (country && blocked.has(country)) return true;
  return allowed.length > 0 && (country === null || !allowed.includes(country));
}

/** 402 KEY_SPEND_LIMIT (ours): the whole send is refused; the body says today's spend and the cap. */
function overCap(over: SpendRefusal, cost: bigint, currency: string): ServiceError {
  const left = over.cap > over.spent ? over.cap - over.spent : 0n;
  return new ServiceError(
    "KEY_SPEND_LIMIT",
    `This send would take the key past its daily spend cap: ${unitsToNumber(over.spent)} of ${unitsToNumber(over.cap)} ${currency} spent today (UTC), ${unitsToNumber(left)} left, this send costs ${unitsToNumber(cost)}`,
    undefined,
    {
      spent_today: unitsToNumber(over.spent),
      daily_spend_cap: unitsToNumber(over.cap),
      estimated_cost: unitsToNumber(cost),
      currency,
      day: over.day,
    },
  );
}

type NewMessageRow = {
  message_id: string;
  workspace_id: number;
  key_id: string | null;
  mode: "live" | "test";
  recipient: string;
  country: string | null;
  sender_id: string;
  body: string;
  encoding: string;
  segments: number;
  cost: string;
  currency: string;
  status: "pending" | "failed";
  status_code: string | null;
};

/**
 * Every recipient's row in ONE statement with ONE parameter (the rows as JSON,
 * in the table's column names). Measured: a Drizzle multi-row INSERT builds 14
 * parameters per recipient, ~40% of a 100-recipient send's CPU.
 */
async function insertMessages(tx: Tx, rows: NewMessageRow[]): Promise<{ id: number; status: string }[]> {
  const inserted = await executeRows<{ id: string; status: string }>(
    tx,
    sql`insert into ${messages} (message_id, workspace_id, key_id, mode, recipient, country, sender_id, body, encoding, segments, cost, currency, status, status_code)
      select message_id, workspace_id, key_id, mode, recipient, country, sender_id, body, encoding, segments, cost, currency, status, status_code
      from json_populate_recordset(null::messages, ${JSON.stringify(rows)}::json)
      returning id::text as id, status`,
  );
  // As text, then a number: int8 arrives as a string or a bigint depending on the driver.
  return inserted.map((r) => ({ id: Number(r.id), status: r.status }));
}

/**
 * Takes the cost off the balance if the balance covers it, else throws (and the
 * transaction rolls back). The row lock taken here is held until the commit,
 * which follows at once. A send that costs nothing (every recipient refused)
 * still needs a positive balance, like any other live send. The debit that
 * takes the balance across the low balance alert enqueues balance.low
 * (lib/billing/low-balance.ts): one extra statement, only then.
 */
async function debit(
  tx: Tx,
  queue: Queue,
  workspaceId: number,
  cost: bigint,
  covers: (balance: bigint) => boolean,
  refuse: (balance: bigint) => ServiceError,
  capped: { keyId: string; over: (refusal: SpendRefusal) => ServiceError } | null,
) {
  if (cost > 0n && capped) {
    // ONE statement: the key's spend reservation, then the debit only if it was reserved. A refused
    // debit rolls the reservation back with the transaction.
    const [row] = await executeRows<{
      reserved: boolean;
      balance: string | null;
      threshold: string | null;
      currency: string | null;
      crossed: boolean | null;
    }>(
      tx,
      sql`with spend as (${reserveSpendStatement(capped.keyId, cost)}),
        debited as (
          update ${workspaces} set balance = ${workspaces.balance} - ${fromUnits(cost)}::numeric, balance_updated_at = ${new Date().toISOString()}::timestamptz
           where ${workspaces.id} = ${workspaceId} and ${workspaces.balance} > 0 and ${workspaces.balance} >= ${fromUnits(cost)}::numeric
             and exists (select 1 from spend)
           returning ${workspaces.balance}::text as balance, ${workspaces.lowBalanceThreshold}::text as threshold, ${workspaces.currency} as currency,
             ${crossedLowBalance(cost)} as crossed
        )
        select exists (select 1 from spend) as reserved, d.balance, d.threshold, d.currency, d.crossed
          from (select 1) as one left join debited d on true`,
    );
    if (!row.reserved) throw capped.over(await spendRefusal(tx, capped.keyId));
    if (row.balance !== null) {
      if (row.crossed)
        await enqueueBalanceLow(tx, queue, { workspaceId, balance: row.balance, threshold: row.threshold!, currency: row.currency! });
      return;
    }
  } else if (cost > 0n) {
    const [debited] = await tx
      .update(workspaces)
      .set({ balance: sql`${workspaces.balance} - ${fromUnits(cost)}::numeric`, balanceUpdatedAt: new Date() })
      .where(and(eq(workspaces.id, workspaceId), sql`${workspaces.balance} > 0`, sql`${workspaces.balance} >= ${fromUnits(cost)}::numeric`))
      .returning({
        balance: workspaces.balance,
        threshold: workspaces.lowBalanceThreshold,
        currency: workspaces.currency,
        crossed: crossedLowBalance(cost),
      });
    if (debited?.crossed) await enqueueBalanceLow(tx, queue, { workspaceId, ...debited, threshold: debited.threshold! });
    if (debited) return;
  }
  const [{ balance }] = await tx.select({ balance: workspaces.balance }).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!covers(toUnits(balance))) throw refuse(toUnits(balance));
}

/**
 * Takes the Idempotency-Key for this request, or returns the stored response of
 * an earlier one. A concurrent request with the same key waits on the row until
 * the first commits, then sees its response. Keys older than 24 h are reused.
 */
async function claimIdempotencyKey(
  tx: Tx,
  workspaceId: number,
  idempotency: { key: string; bodyHash: string },
): Promise<SendOutcome | null> {
  const claimed = await tx
    .insert(idempotencyKeys)
    .values({ workspaceId, key: idempotency.key, bodyHash: idempotency.bodyHash })
    .onConflictDoUpdate({
      target: [idempotencyKeys.workspaceId, idempotencyKeys.key],
      set: { bodyHash: idempotency.bodyHash, statusCode: null, response: null, createdAt: sql`now()` },
      setWhere: sql`${idempotencyKeys.createdAt} < now() - interval '24 hours'`,
    })
    .returning({ key: idempotencyKeys.key });
  if (claimed.length) return null;
  const [existing] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.workspaceId, workspaceId), eq(idempotencyKeys.key, idempotency.key)));
  if (existing.bodyHash !== idempotency.bodyHash)
    throw new ServiceError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different body");
  return { status: existing.statusCode ?? 200, body: existing.response as Record<string, unknown> };
}

function responseBody(planned: Planned[], input: SendBody, totalCost: bigint, sandbox: boolean): Record<string, unknown> {
  const accepted = planned.filter((p) => p.status === "accepted");
  return {
    status: true,
    messages: accepted.map((p) => ({ dnis: p.dnis, message_id: p.messageId, segment_num: input.segments })),
    // A refused recipient says why and what to do (ours; its stored message carries the same failure).
    results: planned.map((p) => ({
      dnis: p.dnis,
      message_id: p.messageId,
      segments: input.segments,
      status: p.status,
      ...(p.status === "accepted" ? {} : { failure: failureOf("failed", p.status) }),
    })),
    summary: {
      total_recipients: planned.length,
      total_segments: accepted.length * input.segments,
      total_cost: unitsToNumber(totalCost),
      encoding: input.encoding,
      accepted_count: accepted.length,
      blocked_count: planned.filter((p) => p.status === "blocked_country").length,
      // Enqueueing shares the transaction: it either lands with the messages or the send fails as DB_ERROR.
      queue_error_count: 0,
      config_error_count: planned.filter((p) => p.status === "config_error").length,
      db_error_count: 0,
    },
    ...(sandbox ? { sandbox: true } : {}),
  };
}
