/**
 * Delivery statistics (docs/api-v1.md §3, GET /sms/stats*): one SQL aggregate per
 * request, scoped to the workspace and the key's mode.
 *
 * The counters, over the messages the filter selects:
 *   delivered   = DELIVRD
 *   undelivered = UNDELIV + REJECTD + UNKNOWN
 *   pending     = pending + sent (no final status yet)
 *   expired     = EXPIRED
 *   not_billed  = failed: refused before sending (blocked country, no price,
 *                 or a failed submission), stored with cost 0
 *   sent        = delivered + undelivered + pending + expired
 *   total_sent  = sent + not_billed (every stored message: the statuses are a closed list)
 *   failed      = undelivered (the field existing clients read)
 *   click_count, unique_click_count, action_count = 0 (broadcasts do not exist yet)
 *   sent_rate     = sent / total_sent × 100, 2 decimals, 0 when total_sent is 0
 *   delivery_rate = delivered / sent × 100, 2 decimals, 0 when sent is 0
 *   total_cost       = Σ cost, summed as numeric in SQL (exact)
 *   avg_cost_per_msg = total_cost / sent, 5 decimals (the money scale), 0 when sent is 0
 *   currency         = the workspace's currency
 */
import { desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { messages, workspaces, type MessageStatus } from "@/db/schema";
import { daysOf, UNKNOWN_COUNTRY, type DateRange, type MessageFilter, type MessageScope } from "./filters";
import { countryName } from "./phone";

// Constants written into the SQL text (not parameters), so that a grouped
// query's select and GROUP BY expressions are the same text.
const statusIs = (...statuses: MessageStatus[]) => sql`${messages.status} in (${sql.raw(statuses.map((s) => `'${s}'`).join(", "))})`;
const countWhere = (condition: SQL) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);

const COUNTERS = {
  delivered: countWhere(statusIs("DELIVRD")),
  undelivered: countWhere(statusIs("UNDELIV", "REJECTD", "UNKNOWN")),
  pending: countWhere(statusIs("pending", "sent")),
  expired: countWhere(statusIs("EXPIRED")),
  notBilled: countWhere(statusIs("failed")),
  totalCost: sql<string>`coalesce(sum(${messages.cost}), 0)`,
};

type Counts = { delivered: number; undelivered: number; pending: number; expired: number; notBilled: number; totalCost: string };
const NONE: Counts = { delivered: 0, undelivered: 0, pending: 0, expired: 0, notBilled: 0, totalCost: "0" };

/** Percent with 2 decimals, 0 when there is nothing to divide by (counts are integers, so a × 10⁴ / b is exact enough to round). */
const percent = (a: number, b: number) => (b === 0 ? 0 : Math.round((a * 10_000) / b) / 100);

export function toStats(c: Counts, currency: string) {
  const sent = c.delivered + c.undelivered + c.pending + c.expired;
  const totalSent = sent + c.notBilled;
  const totalCost = Number(c.totalCost);
  return {
    total_sent: totalSent,
    sent,
    delivered: c.delivered,
    undelivered: c.undelivered,
    pending: c.pending,
    expired: c.expired,
    not_billed: c.notBilled,
    failed: c.undelivered,
    click_count: 0,
    unique_click_count: 0,
    action_count: 0,
    sent_rate: percent(sent, totalSent),
    delivery_rate: percent(c.delivered, sent),
    total_cost: totalCost,
    avg_cost_per_msg: sent === 0 ? 0 : Math.round((totalCost / sent) * 100_000) / 100_000,
    currency,
  };
}

async function currencyOf(db: Db, workspaceId: number): Promise<string> {
  const [w] = await db.select({ currency: workspaces.currency }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return w.currency;
}

const periodOf = (range: DateRange) => ({ from: range.from, to: range.to });

// GET /sms/stats
export async function smsStats(db: Db, scope: MessageScope, filter: MessageFilter) {
  const [[counts], currency] = await Promise.all([
    db.select(COUNTERS).from(messages).where(filter.where(scope)),
    currencyOf(db, scope.workspaceId),
  ]);
  return { status: true as const, stats: toStats(counts ?? NONE, currency), period: periodOf(filter.range) };
}

// The UTC calendar day of a message (the session's time zone must not matter).
const day = sql<string>`to_char(${messages.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;

// GET /sms/stats/daily — every day of the period, empty ones included, ascending
export async function dailyStats(db: Db, scope: MessageScope, filter: MessageFilter) {
  const [rows, currency] = await Promise.all([
    db
      .select({ day, ...COUNTERS })
      .from(messages)
      .where(filter.where(scope))
      .groupBy(day),
    currencyOf(db, scope.workspaceId),
  ]);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days = daysOf(filter.range).map((date) => ({ date, ...toStats(byDay.get(date) ?? NONE, currency) }));
  return { status: true as const, days, period: periodOf(filter.range) };
}

const country = sql<string>`coalesce(${messages.country}, ${sql.raw(`'${UNKNOWN_COUNTRY}'`)})`;

// GET /sms/stats/by-country — most total_sent first (then by code, for a stable order)
export async function statsByCountry(db: Db, scope: MessageScope, filter: MessageFilter) {
  const [rows, currency] = await Promise.all([
    db
      .select({ country, ...COUNTERS })
      .from(messages)
      .where(filter.where(scope))
      .groupBy(country)
      .orderBy(desc(sql`count(*)`), country),
    currencyOf(db, scope.workspaceId),
  ]);
  const countries = rows.map((r) => ({
    country: r.country,
    country_name: r.country === UNKNOWN_COUNTRY ? "Unknown" : countryName(r.country),
    ...toStats(r, currency),
  }));
  return { status: true as const, countries, period: periodOf(filter.range) };
}
