/**
 * The Dashboard's traffic: today's and the last 7 days' counters, the 30-day daily
 * series and the most recent messages, through the same functions and query
 * schemas as the API's statistics and history (so they agree with GET /sms/stats*).
 */
import type { Db } from "@/db";
import { dailyStatsQuery, statsQuery, unifiedQuery, type MessageScope } from "./filters";
import { recentMessages } from "./history";
import { dailyStats, smsStats } from "./stats";

export const RECENT_MESSAGES = 5;

export async function dashboardTraffic(db: Db, scope: MessageScope) {
  const [today, week, month, recent] = await Promise.all([
    smsStats(db, scope, statsQuery.parse({ period: "today" })),
    smsStats(db, scope, statsQuery.parse({ period: "7d" })),
    dailyStats(db, scope, dailyStatsQuery.parse({ period: "30d" })),
    recentMessages(db, scope, unifiedQuery.parse({ period: "30d", limit: String(RECENT_MESSAGES) })),
  ]);
  return { today: today.stats, week: week.stats, days: month.days, recent };
}
