/**
 * The Audit log page's "Export CSV": every event the filters select, newest
 * first, streamed in keyset batches as the client reads (the way the messages
 * export streams: memory stays flat whatever the count, no transaction held
 * open), every free-text cell formula-safe.
 */
import type { Db } from "@/db";
import { csvStream } from "@/lib/format/csv-stream";
import { log } from "@/lib/log";
import { auditActionLabel } from "./actions";
import { auditWhere, describeEvents, eventBatch, type AuditEventView, type AuditQuery } from "./query";

export const AUDIT_EXPORT_COLUMNS = [
  "time",
  "actor_type",
  "actor",
  "actor_detail",
  "action",
  "action_label",
  "target_type",
  "target_id",
  "target",
  "workspace",
  "changes",
  "address",
  "event_id",
];
const BATCH = 2000;
/** At most the newest 1,000,000 events of the filters, like the messages export. */
export const AUDIT_EXPORT_MAX_ROWS = 1_000_000;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet must not run: one starting with = + - @, tab or CR gets a leading ' (OWASP "CSV injection"). */
export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function csvRecord(e: AuditEventView): string[] {
  const cells = [
    e.createdAt.toISOString(),
    e.actor.kind,
    e.actor.name,
    e.actor.detail ?? "",
    e.action,
    auditActionLabel(e.action),
    e.target.type,
    e.target.id,
    e.target.name ?? "",
    e.workspace ?? "",
    Object.keys(e.changes).length ? JSON.stringify(e.changes) : "",
    e.address ?? "",
    String(e.id),
  ];
  // Every cell, ours too: names, emails tried at sign-in and changed values are typed by people.
  return cells.map(formulaSafe);
}

export function auditExportHeaders(now = new Date()): Record<string, string> {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="audit-log-${now.toISOString().slice(0, 10)}.csv"`,
    "Cache-Control": "no-store",
  };
}

/** The CSV as a stream; the first batch is read before it is returned, so a failing query fails before the status line. */
export async function exportAuditCsv(
  db: Db,
  organizationId: number,
  q: AuditQuery,
  options: { batchSize?: number; maxRows?: number } = {},
): Promise<ReadableStream<Uint8Array>> {
  const where = auditWhere(organizationId, { ...q, after: undefined, before: undefined });
  let after: string | undefined;
  return csvStream({
    header: AUDIT_EXPORT_COLUMNS,
    batchSize: options.batchSize ?? BATCH,
    maxRows: options.maxRows ?? AUDIT_EXPORT_MAX_ROWS,
    async read(limit) {
      const rows = await eventBatch(db, where, { after }, limit);
      const last = rows.at(-1);
      if (last) after = `${last.cursor}_${last.id}`;
      return rows;
    },
    records: async (rows) => (await describeEvents(db, organizationId, rows)).map(csvRecord),
    failed: (error, written) => log.error({ err: error, organizationId, written }, "audit export failed mid-stream"),
  });
}
