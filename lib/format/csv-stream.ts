/**
 * A CSV download read in batches as the client takes them: the caller reads keyset
 * pages (its own cursor), so memory stays flat whatever the row count and no
 * transaction is held open. Used by the messages export and the audit log export.
 *
 * The first batch is read before the stream is returned, so a query that fails at
 * once fails before the status line (the caller answers with its error, never a 200
 * cut short). A batch failing later errors the stream, which aborts the chunked
 * response without its final chunk: the client sees a broken download, never a
 * complete-looking file; `failed` is told, to log it.
 */
import { stringify } from "csv-stringify/sync";

// RFC 4180: CRLF between records; a cell with a comma, a quote, or a CR or LF of its
// own is quoted (csv-stringify quotes only the record delimiter itself, so a lone
// "\n" needs quoted_match).
const CSV_OPTIONS = { record_delimiter: "\r\n", quoted_match: /[\r\n]/ };

export type CsvBatches<Row> = {
  header: readonly string[];
  batchSize: number;
  /** The most rows written; the export stops there. */
  maxRows: number;
  /** The next at most `limit` rows after the previous batch's (the caller advances its cursor). */
  read: (limit: number) => Promise<Row[]>;
  /** The batch's CSV records. */
  records: (rows: Row[]) => unknown[][] | Promise<unknown[][]>;
  /** A batch after the first failed (the status line is gone): log it. */
  failed: (error: unknown, written: number) => void;
};

export async function csvStream<Row>(source: CsvBatches<Row>): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  let written = 0;
  let done = false;

  /** The next batch as CSV, or null when the export is complete. */
  async function next(): Promise<Uint8Array | null> {
    const limit = Math.min(source.batchSize, source.maxRows - written);
    if (limit <= 0) return null;
    const rows = await source.read(limit);
    if (rows.length === 0) return null;
    written += rows.length;
    // A short batch was the last: no query for an empty one.
    if (rows.length < limit) done = true;
    return encoder.encode(stringify(await source.records(rows), CSV_OPTIONS));
  }
  const first = await next();
  const pending: Uint8Array[] = [encoder.encode(stringify([source.header], CSV_OPTIONS)), ...(first ? [first] : [])];
  if (!first) done = true;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const ready = pending.shift();
        if (ready) {
          controller.enqueue(ready);
          if (pending.length === 0 && done) controller.close();
          return;
        }
        try {
          const csv = await next();
          if (csv) controller.enqueue(csv);
          if (!csv || done) controller.close();
        } catch (error) {
          source.failed(error, written);
          controller.error(error);
        }
      },
    },
    // Read a batch only when the client has taken the previous one.
    { highWaterMark: 0 },
  );
}
