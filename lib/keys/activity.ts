import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { apiRequestCounts, apiRequests } from "@/db/schema";
import type { ActorContext } from "@/lib/context/actor";
import { getKey } from "./service";

export const ACTIVITY_PERIODS = {
  "24h": { label: "Last 24 hours", hours: 24, bucketHours: 1 },
  "7d": { label: "Last 7 days", hours: 24 * 7, bucketHours: 6 },
  "30d": { label: "Last 30 days", hours: 24 * 30, bucketHours: 24 },
} as const;
export type ActivityPeriod = keyof typeof ACTIVITY_PERIODS;

export type ActivityBucket = { start: string; success: number; clientError: number; serverError: number };
export type KeyActivity = {
  period: ActivityPeriod;
  buckets: ActivityBucket[];
  totals: { requests: number; success: number; clientError: number; serverError: number };
  errorCodes: { code: string; count: number }[];
  /** Null for an off-the-record key: its requests are not logged. */
  recent:
    | {
        requestId: string;
        method: string;
        path: string;
        status: number;
        errorCode: string | null;
        latencyMs: number;
        address: string | null;
        at: string;
      }[]
    | null;
};

const HOUR = 3_600_000;

/** A key's traffic over a period, from the hourly counters (chart, error codes) and the request log (recent requests). */
export async function keyActivity(
  db: Db,
  ctx: ActorContext,
  keyId: string,
  period: ActivityPeriod,
  now = Date.now(),
): Promise<KeyActivity> {
  const key = await getKey(db, ctx, keyId);
  const spec = ACTIVITY_PERIODS[period];
  const bucketMs = spec.bucketHours * HOUR;
  // Buckets end with the current one; align to the bucket size (UTC).
  const lastStart = now - (now % bucketMs);
  const count = spec.hours / spec.bucketHours;
  const firstStart = lastStart - (count - 1) * bucketMs;

  const rows = await db
    .select({
      hour: apiRequestCounts.hour,
      status: apiRequestCounts.status,
      errorCode: apiRequestCounts.errorCode,
      count: sql<number>`sum(${apiRequestCounts.count})::int`,
    })
    .from(apiRequestCounts)
    .where(and(eq(apiRequestCounts.keyId, keyId), gte(apiRequestCounts.hour, new Date(firstStart))))
    .groupBy(apiRequestCounts.hour, apiRequestCounts.status, apiRequestCounts.errorCode);

  const buckets: ActivityBucket[] = Array.from({ length: count }, (_, i) => ({
    start: new Date(firstStart + i * bucketMs).toISOString(),
    success: 0,
    clientError: 0,
    serverError: 0,
  }));
  const totals = { requests: 0, success: 0, clientError: 0, serverError: 0 };
  const codes = new Map<string, number>();
  for (const row of rows) {
    const index = Math.floor((row.hour.getTime() - firstStart) / bucketMs);
    const bucket = buckets[index];
    if (!bucket) continue;
    const kind = row.status >= 500 ? "serverError" : row.status >= 400 ? "clientError" : "success";
    bucket[kind] += row.count;
    totals[kind] += row.count;
    totals.requests += row.count;
    if (row.errorCode) codes.set(row.errorCode, (codes.get(row.errorCode) ?? 0) + row.count);
  }

  const recent = key.offTheRecord
    ? null
    : (
        await db
          .select()
          .from(apiRequests)
          .where(eq(apiRequests.keyId, keyId))
          .orderBy(desc(apiRequests.createdAt), desc(apiRequests.id))
          .limit(50)
      ).map((r) => ({
        requestId: r.requestId,
        method: r.method,
        path: r.path,
        status: r.status,
        errorCode: r.errorCode,
        latencyMs: r.latencyMs,
        address: r.address,
        at: r.createdAt.toISOString(),
      }));

  return {
    period,
    buckets,
    totals,
    errorCodes: [...codes].map(([code, n]) => ({ code, count: n })).sort((a, b) => b.count - a.count),
    recent,
  };
}
