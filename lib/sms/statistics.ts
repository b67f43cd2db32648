/**
 * The Statistics page's data: the API's own query schema and the API's own
 * functions (GET /sms/stats, /sms/stats/daily, /sms/stats/by-country), so the page
 * shows exactly the numbers the API answers for the same period and mode.
 */
import type { Db } from "@/db";
import { dailyStatsQuery, type MessageScope } from "./filters";
import { dailyStats, smsStats, statsByCountry } from "./stats";

export type StatisticsReport = {
  totals: Awaited<ReturnType<typeof smsStats>>["stats"];
  days: Awaited<ReturnType<typeof dailyStats>>["days"];
  countries: Awaited<ReturnType<typeof statsByCountry>>["countries"];
  period: { from: string; to: string };
};

/** The query (period, from, to — the API's parameters) parsed as the API parses it; the issues by field when it is invalid. */
export async function statisticsReport(
  db: Db,
  scope: MessageScope,
  query: Record<string, string>,
): Promise<{ ok: true; report: StatisticsReport } | { ok: false; issues: { path: PropertyKey[]; message: string }[] }> {
  const { period, from, to } = query;
  const parsed = dailyStatsQuery.safeParse({ period, from, to });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const [totals, daily, byCountry] = await Promise.all([
    smsStats(db, scope, parsed.data),
    dailyStats(db, scope, parsed.data),
    statsByCountry(db, scope, parsed.data),
  ]);
  return { ok: true, report: { totals: totals.stats, days: daily.days, countries: byCountry.countries, period: totals.period } };
}
