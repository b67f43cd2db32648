/** The delivery log: one row per attempt of every webhook event (GET /user/webhooks/logs, the Webhooks page). */
import { and, count, desc, eq, gt, gte, isNull, lte, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db";
import { EVENT_TYPES, webhookDeliveries, type EventType } from "@/db/schema";
import type { KeyMode } from "@/lib/keys/format";

export type DeliveryLogRow = typeof webhookDeliveries.$inferSelect;
export type NewDeliveryLogRow = typeof webhookDeliveries.$inferInsert;

// An error text is for people reading the log; keep rows small whatever a library throws.
const MAX_ERROR_LENGTH = 300;

export async function recordAttempt(db: DbOrTx, row: NewDeliveryLogRow): Promise<void> {
  await db.insert(webhookDeliveries).values({ ...row, error: row.error ? row.error.slice(0, MAX_ERROR_LENGTH) : null });
}

/**
 * An attempt's outcome: `succeeded` (2xx); `pending` (failed, and the event's
 * next attempt is scheduled and not yet due); `failed` (failed, and nothing is
 * still to come from it: the last attempt, a refusal no retry can change, a
 * test event, or a retry already made, which has its own row).
 */
export const ATTEMPT_STATUSES = ["succeeded", "failed", "pending"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export function attemptStatus(row: Pick<DeliveryLogRow, "success" | "nextAttemptAt">, now = new Date()): AttemptStatus {
  if (row.success) return "succeeded";
  return row.nextAttemptAt && row.nextAttemptAt > now ? "pending" : "failed";
}

/** The events the log's filter offers (every webhook event, the account events included). */
export const LOG_EVENTS = EVENT_TYPES;

export const LOG_PERIODS = ["24h", "7d", "30d", "90d"] as const;
export type LogPeriod = (typeof LOG_PERIODS)[number];
const PERIOD_MS: Record<LogPeriod, number> = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, "90d": 90 * 86_400_000 };

export const LOG_PAGE_SIZE = 25;

/** The Webhooks page's log filters (its query string); a blank value is "any". */
export const deliveryLogQuerySchema = z.object({
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(ATTEMPT_STATUSES, { error: "Choose a listed status" }).optional()),
  event: z.preprocess((v) => (v === "" ? undefined : v), z.enum(EVENT_TYPES, { error: "Choose a listed event" }).optional()),
  period: z.preprocess((v) => (v === "" ? undefined : v), z.enum(LOG_PERIODS, { error: "Choose a listed period" }).default("7d")),
  page: z.coerce.number({ error: "Page must be a number" }).int("Page must be a whole number").min(1, "Page starts at 1").default(1),
});

export type DeliveryLogFilter = {
  event?: EventType;
  /** The API's filter (2xx or not). */
  success?: boolean;
  /** The portal's (see attemptStatus). */
  status?: AttemptStatus;
  /** Attempts made at or after this time. */
  since?: Date;
  page: number;
  limit: number;
};

export const periodStart = (period: LogPeriod, now = Date.now()) => new Date(now - PERIOD_MS[period]);

/** A workspace's attempts of one mode (a test key sees test deliveries only), newest first, one page at a time. */
export async function listDeliveryLogs(
  db: DbOrTx,
  workspaceId: number,
  mode: KeyMode,
  filter: DeliveryLogFilter,
  now = new Date(),
): Promise<{ rows: DeliveryLogRow[]; total: number; page: number; limit: number; totalPages: number }> {
  const conditions: SQL[] = [eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.mode, mode)];
  if (filter.event) conditions.push(eq(webhookDeliveries.event, filter.event));
  if (filter.success !== undefined) conditions.push(eq(webhookDeliveries.success, filter.success));
  if (filter.status === "succeeded") conditions.push(eq(webhookDeliveries.success, true));
  if (filter.status === "failed") {
    const retryDone = or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, now));
    conditions.push(eq(webhookDeliveries.success, false), retryDone!);
  }
  if (filter.status === "pending") conditions.push(eq(webhookDeliveries.success, false), gt(webhookDeliveries.nextAttemptAt, now));
  if (filter.since) conditions.push(gte(webhookDeliveries.createdAt, filter.since));
  const where = and(...conditions);
  const [[{ total }], rows] = await Promise.all([
    db.select({ total: count() }).from(webhookDeliveries).where(where),
    db
      .select()
      .from(webhookDeliveries)
      .where(where)
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(filter.limit)
      .offset((filter.page - 1) * filter.limit),
  ]);
  return { rows, total, page: filter.page, limit: filter.limit, totalPages: Math.max(1, Math.ceil(total / filter.limit)) };
}

/** Every attempt to deliver one message's events, oldest first (the message's page). */
export async function deliveriesForMessage(db: DbOrTx, workspaceId: number, messageId: string): Promise<DeliveryLogRow[]> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.messageId, messageId)))
    .orderBy(webhookDeliveries.createdAt, webhookDeliveries.id)
    .limit(100);
}
