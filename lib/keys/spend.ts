import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { executeRows } from "@/db/client";
import { apiKeyDailySpend, apiKeys, messages, workspaces } from "@/db/schema";
import { fromUnits, toUnits } from "@/lib/billing/money";

/**
 * (ours) A key's daily spend cap (docs/api-v1.md §7 "Spend and destination limits").
 *
 * What a capped key spends is counted per UTC day in `api_key_daily_spend`. A
 * send reserves its cost there with ONE conditional upsert in its own
 * transaction (`spent + cost <= cap`, the cap read from the key's row in the
 * same statement): the row lock serializes a key's concurrent sends on every
 * instance, so the cap is never overshot, and a send that rolls back (the
 * balance, a failure) releases what it reserved. A key without a cap (null in
 * the cached key) runs no statement at all. A refund of a message the carrier
 * refused also gives its cost back to the day it was counted on.
 */

/** The UTC day of `now()` in the database: one clock for every instance. */
const TODAY = sql`(now() at time zone 'utc')::date`;

/** Today's spend and the cap when a reservation is refused; `day` is the UTC day (YYYY-MM-DD). */
export type SpendRefusal = { spent: bigint; cap: bigint; day: string };

/**
 * The reservation as one statement (returning a row when reserved): the key's
 * row of today gets `cost` added if the sum stays within the cap read from the
 * key in the same statement. The live send runs it inside the debit's statement
 * (lib/sms/send.ts), so a capped send adds no round trip inside its locks.
 */
export function reserveSpendStatement(keyId: string, cost: bigint): SQL {
  const amount = fromUnits(cost);
  return sql`insert into ${apiKeyDailySpend} as s (key_id, day, spent)
      select k.id, ${TODAY}, ${amount}::numeric from ${apiKeys} k
       where k.id = ${keyId} and (k.daily_spend_cap is null or ${amount}::numeric <= k.daily_spend_cap)
      on conflict (key_id, day) do update set spent = s.spent + excluded.spent
       where s.spent + excluded.spent <= coalesce((select c.daily_spend_cap from ${apiKeys} c where c.id = s.key_id), s.spent + excluded.spent)
      returning s.spent`;
}

/**
 * Adds `cost` to the key's spend of today if it stays within the key's cap;
 * returns null when reserved (or nothing to reserve), else today's spend and the cap.
 */
export async function reserveKeySpend(tx: DbOrTx, keyId: string, cost: bigint): Promise<SpendRefusal | null> {
  if (cost <= 0n) return null;
  const reserved = await executeRows(tx, reserveSpendStatement(keyId, cost));
  if (reserved.length > 0) return null;
  return spendRefusal(tx, keyId);
}

/** Today's spend and the cap, read after a refused reservation (in its transaction). */
export async function spendRefusal(tx: DbOrTx, keyId: string): Promise<SpendRefusal> {
  const [standing] = await executeRows<{ spent: string; cap: string | null; day: string }>(
    tx,
    sql`select coalesce(s.spent, 0)::text as spent, k.daily_spend_cap::text as cap, ${TODAY}::text as day from ${apiKeys} k
      left join ${apiKeyDailySpend} s on s.key_id = k.id and s.day = ${TODAY} where k.id = ${keyId}`,
  );
  return { spent: toUnits(standing.spent), cap: standing.cap === null ? 0n : toUnits(standing.cap), day: standing.day };
}

/** Gives a refunded `amount` back to the key's spend of the UTC day `at` fell on (only a capped key has a row to give it to). */
export async function releaseKeySpend(tx: DbOrTx, keyId: string, at: Date, amount: bigint): Promise<void> {
  if (amount <= 0n) return;
  await tx.execute(
    sql`update ${apiKeyDailySpend} set spent = greatest(spent - ${fromUnits(amount)}::numeric, 0)
      where key_id = ${keyId} and day = (${at.toISOString()}::timestamptz at time zone 'utc')::date`,
  );
}

/**
 * When a cap is set on a key that had none, today's row is counted afresh from
 * the key's messages of today (their cost, refunds already deducted), so the
 * cap applies to the whole day, not only to what follows. Runs in the change's
 * transaction.
 */
export async function recountTodaySpend(tx: DbOrTx, key: { id: string; workspaceId: number; mode: "live" | "test" }): Promise<void> {
  await tx.execute(
    sql`insert into ${apiKeyDailySpend} (key_id, day, spent)
      select ${key.id}, ${TODAY}, coalesce(sum(${messages.cost}), 0) from ${messages}
       where ${messages.workspaceId} = ${key.workspaceId} and ${messages.mode} = ${key.mode} and ${messages.keyId} = ${key.id}
         and ${messages.createdAt} >= ${TODAY}::timestamp at time zone 'utc'
      on conflict (key_id, day) do update set spent = excluded.spent`,
  );
}

export type KeySpendToday = { day: string; spent: number; cap: number | null; currency: string };

/** Today's spend (UTC) of a key, its cap and the workspace currency, for the key's page (the caller checks visibility). */
export async function keySpendToday(db: DbOrTx, keyId: string): Promise<KeySpendToday> {
  const [row] = await executeRows<{ day: string; spent: string; cap: string | null; currency: string }>(
    db,
    sql`select ${TODAY}::text as day, coalesce(s.spent, 0)::text as spent, k.daily_spend_cap::text as cap, w.currency
      from ${apiKeys} k join ${workspaces} w on w.id = k.workspace_id
      left join ${apiKeyDailySpend} s on s.key_id = k.id and s.day = ${TODAY} where k.id = ${keyId}`,
  );
  return { day: row.day, spent: Number(row.spent), cap: row.cap === null ? null : Number(row.cap), currency: row.currency };
}

/** Days of spend rows kept (only today's decides anything; the rest is for reading back). */
export const KEY_SPEND_RETENTION_DAYS = 35;

/** Hourly (housekeeping): spend rows older than KEY_SPEND_RETENTION_DAYS; one row per capped key and day, so one statement. */
export async function purgeOldKeySpend(db: DbOrTx): Promise<number> {
  const deleted = await executeRows(
    db,
    sql`delete from ${apiKeyDailySpend} where day < ${TODAY} - ${KEY_SPEND_RETENTION_DAYS}::int returning key_id`,
  );
  return deleted.length;
}
