/**
 * Message rows written straight into the table, for the tests of what reads
 * them back (history, statistics, export): `messageRow(workspaceId, {...})`.
 */
import { randomBytes } from "node:crypto";
import { messages } from "@/db/schema";
import type { Db } from "@/db";

export type MessageInsert = typeof messages.$inferInsert;

let sequence = 0;

/** A live API message, delivered, to a UK number, now; override what the test is about. */
export function messageRow(workspaceId: number, fields: Partial<MessageInsert> = {}): MessageInsert {
  sequence++;
  return {
    messageId: `api_${workspaceId}_${Date.now()}${String(sequence).padStart(9, "0")}_${randomBytes(8).toString("hex")}`,
    workspaceId,
    mode: "live",
    source: "api",
    recipient: "+447911123456",
    country: "GB",
    senderId: "Acme",
    body: "Your code is 123456",
    encoding: "GSM-7",
    segments: 1,
    cost: "0.03500",
    currency: "EUR",
    status: "DELIVRD",
    statusCode: "000",
    createdAt: new Date(),
    ...fields,
  };
}

/** Inserts the rows (in chunks, to stay under the driver's parameter limit) and returns them with their ids. */
export async function insertMessages(db: Db, rows: MessageInsert[]) {
  const out: (typeof messages.$inferSelect)[] = [];
  for (let i = 0; i < rows.length; i += 500)
    out.push(
      ...(await db
        .insert(messages)
        .values(rows.slice(i, i + 500))
        .returning()),
    );
  return out;
}

/** Noon UTC, `daysAgo` days before `now`'s UTC day. */
export function noonDaysAgo(daysAgo: number, now = new Date()): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12));
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return d;
}
