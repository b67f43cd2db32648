/** The delivery log: one row per attempt of every webhook event (GET /user/webhooks/logs). */
import { and, count, desc, eq, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { webhookDeliveries, type WebhookEvent } from "@/db/schema";
import type { KeyMode } from "@/lib/keys/format";

export type DeliveryLogRow = typeof webhookDeliveries.$inferSelect;
export type NewDeliveryLogRow = typeof webhookDeliveries.$inferInsert;

// An error text is for people reading the log; keep rows small whatever a library throws.
const MAX_ERROR_LENGTH = 300;

export async function recordAttempt(db: DbOrTx, row: NewDeliveryLogRow): Promise<void> {
  await db.insert(webhookDeliveries).values({ ...row, error: row.error ? row.error.slice(0, MAX_ERROR_LENGTH) : null });
}

export type DeliveryLogFilter = { event?: WebhookEvent; success?: boolean; page: number; limit: number };

/** A workspace's attempts of one mode (a test key sees test deliveries only), newest first, one page at a time. */
export async function listDeliveryLogs(
  db: DbOrTx,
  workspaceId: number,
  mode: KeyMode,
  filter: DeliveryLogFilter,
): Promise<{ rows: DeliveryLogRow[]; total: number; page: number; limit: number; totalPages: number }> {
  const conditions: SQL[] = [eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.mode, mode)];
  if (filter.event) conditions.push(eq(webhookDeliveries.event, filter.event));
  if (filter.success !== undefined) conditions.push(eq(webhookDeliveries.success, filter.success));
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
