/**
 * Reading sent messages back: one message's status, the paginated lists and
 * the CSV export (docs/api-v1.md §3). Every query is scoped to the workspace and
 * the key's mode through `MessageScope`.
 */
import { and, count, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { messages, type MessageStatus } from "@/db/schema";
import { ServiceError } from "@/lib/errors/service-error";
import { csvStream } from "@/lib/format/csv-stream";
import { log } from "@/lib/log";
import type { DateRange, MessageFilter, MessageScope, PagedFilter } from "./filters";
import { E164 } from "./phone";
import { explainStatusCode, failureOf, type Failure } from "./status-codes";

const iso = (d: Date | null) => (d ? d.toISOString() : null);
// NULLS LAST as in the index messages_by_workspace_time (drizzle's .desc()), so
// Postgres reads the index in order instead of sorting: both columns are NOT
// NULL, so it changes nothing else.
const NEWEST_FIRST = [sql`${messages.createdAt} desc nulls last`, sql`${messages.id} desc nulls last`];

// GET /sms/status/:message_id
export async function messageStatus(db: Db, scope: MessageScope, messageId: string) {
  const [m] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.messageId, messageId), eq(messages.workspaceId, scope.workspaceId), eq(messages.mode, scope.mode)));
  // Another workspace's or the other mode's message is as unknown as a missing one.
  if (!m) throw new ServiceError("NOT_FOUND", "Message not found");
  return {
    message_id: m.messageId,
    recipient: m.recipient,
    segments: m.segments,
    message: m.body,
    sender_id: m.senderId,
    status: m.status,
    status_code: m.statusCode,
    cost: Number(m.cost),
    created_at: m.createdAt.toISOString(),
    delivered_at: iso(m.deliveredAt),
    ...failureField(m.status, m.statusCode),
  };
}

/** `failure` (ours) on a message that was not delivered; no key at all otherwise. */
function failureField(status: MessageStatus, code: string | null): { failure?: Failure } {
  const failure = failureOf(status, code);
  return failure ? { failure } : {};
}

// The same index read backwards.
const OLDEST_FIRST = [sql`${messages.createdAt} asc nulls first`, sql`${messages.id} asc nulls first`];

export const MESSAGE_ORDERS = ["newest", "oldest"] as const;
export type MessageOrder = (typeof MESSAGE_ORDERS)[number];

async function page(db: Db, scope: MessageScope, filter: PagedFilter, order: MessageOrder = "newest") {
  const where = filter.where(scope);
  const [{ total }] = await db.select({ total: count() }).from(messages).where(where);
  const rows = await db
    .select()
    .from(messages)
    .where(where)
    .orderBy(...(order === "newest" ? NEWEST_FIRST : OLDEST_FIRST))
    .limit(filter.limit)
    .offset((filter.page - 1) * filter.limit);
  // total_pages is at least 1, as on GET /keys: page 1 of an empty list exists.
  return { rows, envelope: { total, page: filter.page, limit: filter.limit, total_pages: Math.max(1, Math.ceil(total / filter.limit)) } };
}

// GET /sms/messages
export async function listMessages(db: Db, scope: MessageScope, filter: PagedFilter) {
  const { rows, envelope } = await page(db, scope, filter);
  const list = rows.map((m) => ({
    id: m.id,
    client_message_id: m.messageId,
    recipient: m.recipient,
    sender_id: m.senderId,
    message: m.body,
    status: m.status,
    status_code: m.statusCode,
    segments: m.segments,
    cost: Number(m.cost),
    created_at: m.createdAt.toISOString(),
    delivered_at: iso(m.deliveredAt),
    ...failureField(m.status, m.statusCode),
  }));
  return { messages: list, ...envelope };
}

/** The portal's Messages page: one page of the filtered messages (API and broadcasts), newest or oldest first. */
export async function messagePage(db: Db, scope: MessageScope, filter: PagedFilter, order: MessageOrder) {
  const { rows, envelope } = await page(db, scope, filter, order);
  return { rows: rows.map(pageRow), period: filter.range, ...envelope };
}

/**
 * The Dashboard's most recent messages of the filter's period: the page's rows without its
 * total (counting a month of a busy workspace's messages would cost more than the rest of
 * the Dashboard together; bench scenario 11).
 */
export async function recentMessages(db: Db, scope: MessageScope, filter: PagedFilter) {
  const rows = await db
    .select()
    .from(messages)
    .where(filter.where(scope))
    .orderBy(...NEWEST_FIRST)
    .limit(filter.limit);
  return rows.map(pageRow);
}

function pageRow(m: typeof messages.$inferSelect) {
  return {
    messageId: m.messageId,
    recipient: m.recipient,
    country: m.country,
    senderId: m.senderId,
    status: m.status,
    statusCode: m.statusCode,
    segments: m.segments,
    cost: Number(m.cost),
    currency: m.currency,
    createdAt: m.createdAt,
    deliveredAt: m.deliveredAt,
    failure: failureOf(m.status, m.statusCode) ?? null,
  };
}

export type StatusStep = { label: string; at: Date | null; detail: string | null; state: "done" | "failed" | "waiting" };

/**
 * One message for its page: what was sent, what it cost, which key sent it, and
 * its status history (accepted → sent → delivered or not), with the status code
 * in words. Another workspace's or the other mode's message is not found.
 */
export async function messageDetail(db: Db, scope: MessageScope, messageId: string) {
  const [m] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.messageId, messageId), eq(messages.workspaceId, scope.workspaceId), eq(messages.mode, scope.mode)));
  if (!m) throw new ServiceError("NOT_FOUND", "Message not found");
  const words = explainStatusCode(m.statusCode);
  const steps: StatusStep[] = [{ label: "Accepted", at: m.createdAt, detail: null, state: "done" }];
  if (m.status === "failed") {
    steps.push({ label: "Not sent", at: m.updatedAt, detail: words, state: "failed" });
  } else {
    steps.push({ label: "Sent to the carrier", at: m.sentAt, detail: null, state: m.sentAt ? "done" : "waiting" });
    if (m.status === "DELIVRD") steps.push({ label: "Delivered", at: m.deliveredAt ?? m.updatedAt, detail: words, state: "done" });
    else if (m.status === "pending" || m.status === "sent")
      steps.push({ label: "Waiting for a delivery report", at: null, detail: null, state: "waiting" });
    else steps.push({ label: FINAL_LABELS[m.status], at: m.updatedAt, detail: words, state: "failed" });
  }
  return {
    messageId: m.messageId,
    recipient: m.recipient,
    country: m.country,
    senderId: m.senderId,
    body: m.body,
    encoding: m.encoding,
    segments: m.segments,
    cost: Number(m.cost),
    currency: m.currency,
    status: m.status,
    statusCode: m.statusCode,
    keyId: m.keyId,
    mode: m.mode,
    createdAt: m.createdAt,
    failure: failureOf(m.status, m.statusCode) ?? null,
    steps,
  };
}

const FINAL_LABELS: Record<"UNDELIV" | "REJECTD" | "EXPIRED" | "UNKNOWN", string> = {
  UNDELIV: "Undelivered",
  REJECTD: "Rejected by the carrier",
  EXPIRED: "Expired",
  UNKNOWN: "Unknown final state",
};

// GET /sms/messages/unified
export async function listUnified(db: Db, scope: MessageScope, filter: PagedFilter) {
  const { rows, envelope } = await page(db, scope, filter);
  const list = rows.map((m) => ({
    id: m.messageId,
    source: m.source,
    recipient: m.recipient,
    sender_id: m.senderId,
    message: m.body,
    status: m.status,
    status_code: m.statusCode,
    cost: Number(m.cost),
    // When the send was requested: the time the list is ordered and filtered by.
    sent_at: m.createdAt.toISOString(),
    delivered_at: iso(m.deliveredAt),
    // Clicks and actions belong to broadcasts, which do not exist yet.
    clicked: false,
    clicked_at: null,
    action_type: null,
    action_at: null,
    ...failureField(m.status, m.statusCode),
  }));
  return { messages: list, ...envelope };
}

export const EXPORT_COLUMNS = [
  "id",
  "source",
  "message_id",
  "recipient",
  "country",
  "sender_id",
  "status",
  "status_code",
  "segments",
  "cost",
  "currency",
  "sent_at",
  "delivered_at",
  // Ours, appended so that the columns above keep their positions; empty for a message that was not a failure.
  "failure_category",
  "failure_retryable",
  "failure_description",
  "failure_action",
];
/** The export holds at most the newest 1,000,000 messages of the period (docs/api-v1.md §3). */
export const EXPORT_MAX_ROWS = 1_000_000;
const EXPORT_BATCH = 5000;

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A free-text cell a spreadsheet must not run: one starting with = + - @, tab
 * or CR gets a leading ' (OWASP "CSV injection"). An E.164 number is a
 * validated value and is written as it is ("+14155551234" stays a number).
 */
export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) && !E164.test(value) ? `'${value}` : value;
}

/** `filename="messages-<from>-<to>.csv"` for the export of this range. */
export function exportFilename(range: DateRange): string {
  return `messages-${range.from}-${range.to}.csv`;
}

/** The export's response headers: the same file from the API and from the portal's "Export CSV". */
export function exportHeaders(range: DateRange): Record<string, string> {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${exportFilename(range)}"`,
    "Cache-Control": "no-store",
  };
}

const exportColumns = {
  id: messages.id,
  source: messages.source,
  messageId: messages.messageId,
  recipient: messages.recipient,
  country: messages.country,
  senderId: messages.senderId,
  status: messages.status,
  statusCode: messages.statusCode,
  segments: messages.segments,
  cost: messages.cost,
  currency: messages.currency,
  createdAt: messages.createdAt,
  deliveredAt: messages.deliveredAt,
  // The keyset cursor at full (microsecond) precision: a JS Date keeps only
  // milliseconds, and rows within the same millisecond would be skipped.
  // Spelled out in UTC so that no session setting (DateStyle, TimeZone) matters.
  cursor: sql<string>`to_char(${messages.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};
type Cursor = { at: string; id: number };

function exportBatch(db: Db, where: SQL, after: Cursor | null, limit: number) {
  return db
    .select(exportColumns)
    .from(messages)
    .where(after ? and(where, sql`(${messages.createdAt}, ${messages.id}) < (${after.at}::timestamptz, ${after.id})`) : where)
    .orderBy(...NEWEST_FIRST)
    .limit(limit);
}
type ExportRow = Awaited<ReturnType<typeof exportBatch>>[number];

// No message text: it often carries one-time codes.
function csvRecord(m: ExportRow): unknown[] {
  return [
    m.id,
    m.source,
    m.messageId,
    m.recipient,
    m.country ?? "",
    formulaSafe(m.senderId),
    m.status,
    // From the carrier, so not ours to trust.
    m.statusCode === null ? "" : formulaSafe(m.statusCode),
    m.segments,
    String(Number(m.cost)),
    m.currency,
    m.createdAt.toISOString(),
    iso(m.deliveredAt) ?? "",
    // Our own table's words, not the carrier's: nothing to make formula-safe.
    ...failureCells(failureOf(m.status, m.statusCode)),
  ];
}

function failureCells(failure: Failure | undefined): string[] {
  return failure ? [failure.category, String(failure.retryable), failure.description, failure.action] : ["", "", "", ""];
}

/**
 * GET /sms/messages/unified/export — the CSV, newest first, read 5,000 rows at
 * a time by keyset pagination on (created_at, id) as the client reads: memory
 * stays flat whatever the row count, and no transaction is held open (a row
 * written meanwhile appears only if it sorts after the rows already written;
 * none is written twice).
 *
 * The first batch is read before the stream is returned, so a query that fails
 * at once fails before the status line (the API answers with its JSON error);
 * a batch failing later aborts the download (lib/format/csv-stream.ts).
 */
export async function exportCsv(
  db: Db,
  scope: MessageScope,
  filter: MessageFilter,
  options: { maxRows?: number; batchSize?: number } = {},
): Promise<ReadableStream<Uint8Array>> {
  const where = filter.where(scope);
  let cursor: Cursor | null = null;
  return csvStream({
    header: EXPORT_COLUMNS,
    batchSize: options.batchSize ?? EXPORT_BATCH,
    maxRows: options.maxRows ?? EXPORT_MAX_ROWS,
    async read(limit) {
      const rows = await exportBatch(db, where, cursor, limit);
      const last = rows.at(-1);
      if (last) cursor = { at: last.cursor, id: last.id };
      return rows;
    },
    records: (rows) => rows.map(csvRecord),
    failed: (error, written) => log.error({ err: error, workspaceId: scope.workspaceId, written }, "sms export failed mid-stream"),
  });
}
