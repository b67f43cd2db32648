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
 *
 * Answered from the running aggregates (`./aggregates.ts`: per workspace, mode,
 * source, day, country and status) whenever they can — every filter but phone
 * and sender — so a read costs the days × countries × statuses of the period,
 * not its messages. With phone or sender, or `{ scan: true }` (the tests
 * compare both), the messages themselves are counted. Both give the same
 * answer, byte for byte.
 */
import { desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { executeRows } from "@/db/client";
import { messages, workspaces, type MessageStatus } from "@/db/schema";
import { aggregateRows, aggregatesAnswer } from "./aggregates";
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

// The same counters over the aggregate rows (`aggregateRows`): sums of their counts. As text, then
// numbers: int8 and numeric arrive as strings or numbers depending on the driver.
const aggStatusIs = (...statuses: MessageStatus[]) => sql.raw(`status in (${statuses.map((s) => `'${s}'`).join(", ")})`);
const sumWhere = (condition: SQL) => sql`coalesce(sum(messages) filter (where ${condition}), 0)::text`;
const AGG_COUNTERS = sql`${sumWhere(aggStatusIs("DELIVRD"))} as delivered,
  ${sumWhere(aggStatusIs("UNDELIV", "REJECTD", "UNKNOWN"))} as undelivered,
  ${sumWhere(aggStatusIs("pending", "sent"))} as pending,
  ${sumWhere(aggStatusIs("EXPIRED"))} as expired,
  ${sumWhere(aggStatusIs("failed"))} as not_billed,
  coalesce(sum(cost), 0)::text as total_cost`;
type AggRow = { delivered: string; undelivered: string; pending: string; expired: string; not_billed: string; total_cost: string };
const countsOf = (r: AggRow): Counts => ({
  delivered: Number(r.delivered),
  undelivered: Number(r.undelivered),
  pending: Number(r.pending),
  expired: Number(r.expired),
  notBilled: Number(r.not_billed),
  totalCost: r.total_cost,
});

/** `scan`: count the messages even when the aggregates could answer (tests compare the two). */
export type StatsOptions = { scan?: boolean };
const readsAggregates = (filter: MessageFilter, options: StatsOptions) => !options.scan && aggregatesAnswer(filter);

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
export async function smsStats(db: Db, scope: MessageScope, filter: MessageFilter, options: StatsOptions = {}) {
  const [[counts], currency] = await Promise.all([
    readsAggregates(filter, options)
      ? executeRows<AggRow>(db, sql`select ${AGG_COUNTERS} from ${aggregateRows(scope, filter)}`).then((rows) => rows.map(countsOf))
      : db.select(COUNTERS).from(messages).where(filter.where(scope)),
    currencyOf(db, scope.workspaceId),
  ]);
  return { status: true as const, stats: toStats(counts ?? NONE, currency), period: periodOf(filter.range) };
}

// The UTC calendar day of a message (the session's time zone must not matter).
const day = sql<string>`to_char(${messages.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;

// GET /sms/stats/daily — every day of the period, empty ones included, ascending
export async function dailyStats(db: Db, scope: MessageScope, filter: MessageFilter, options: StatsOptions = {}) {
  const [rows, currency] = await Promise.all([
    readsAggregates(filter, options)
      ? executeRows<AggRow & { day: string }>(
          db,
          sql`select to_char(day, 'YYYY-MM-DD') as day, ${AGG_COUNTERS} from ${aggregateRows(scope, filter)} group by day`,
        ).then((rows) => rows.map((r) => ({ day: r.day, ...countsOf(r) })))
      : db
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
export async function statsByCountry(db: Db, scope: MessageScope, filter: MessageFilter, options: StatsOptions = {}) {
  const [rows, currency] = await Promise.all([
    readsAggregates(filter, options)
      ? // A country whose rows sum to no message has none (the scan would not list it); '' is the aggregates' "no country".
        executeRows<AggRow & { country: string }>(
          db,
          sql`select coalesce(nullif(country, ''), ${UNKNOWN_COUNTRY}) as country, ${AGG_COUNTERS}
              from ${aggregateRows(scope, filter)}
              group by 1 having sum(messages) > 0
              order by sum(messages) desc, 1`,
        ).then((rows) => rows.map((r) => ({ country: r.country, ...countsOf(r) })))
      : db
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
