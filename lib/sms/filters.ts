/**
 * The query of every message read (docs/api-v1.md §3: /sms/messages, /unified, the
 * export and /sms/stats*): one zod object, whose transform validates the period
 * and produces the `where` of the query. The `where` builder takes the
 * workspace AND the key's mode, so no read can forget either (§6: test data
 * never mixes with live data).
 */
import { and, eq, gte, inArray, isNull, like, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { messages, type MessageStatus } from "@/db/schema";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/format/text";

export const STATUS_FILTERS = ["delivered", "undelivered", "expired", "pending", "sent", "failed", "unknown"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** A status filter → the stored statuses it matches (docs/api-v1.md §3, "Filter mapping"). */
export const STATUS_MAPPING: Record<StatusFilter, readonly MessageStatus[]> = {
  delivered: ["DELIVRD"],
  undelivered: ["UNDELIV", "REJECTD", "failed"],
  failed: ["UNDELIV", "REJECTD", "failed"],
  expired: ["EXPIRED"],
  pending: ["pending", "sent"],
  sent: ["pending", "sent"],
  unknown: ["UNKNOWN"],
};

export const PERIODS = ["today", "yesterday", "7d", "30d", "this_month", "last_month"] as const;
export type Period = (typeof PERIODS)[number];

export const SOURCES = ["api", "broadcasts", "all"] as const;
export type SourceFilter = (typeof SOURCES)[number];

/** The country filter's stand-in for messages without a country (non-geographic numbers); by-country reports them as "ZZ". */
export const UNKNOWN_COUNTRY = "ZZ";

/** Who is reading: every query is scoped to both. */
export type MessageScope = { workspaceId: number; mode: "live" | "test" };

/** Inclusive UTC calendar dates, YYYY-MM-DD. */
export type DateRange = { from: string; to: string };

const DAY_MS = 86_400_000;

/** `?x=` is the same as no `x` (forms send empty fields). */
const blankAsAbsent = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsAbsent, schema.optional());

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
export const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const addDays = (day: string, n: number) => isoDay(new Date(dayStart(day).getTime() + n * DAY_MS));

/**
 * A preset as inclusive UTC dates, relative to `now`. Periods that run up to
 * today end today (not at the end of the month): there is nothing later.
 */
export function presetRange(period: Period, now = new Date()): DateRange {
  const today = isoDay(now);
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  switch (period) {
    case "today":
      return { from: today, to: today };
    case "yesterday":
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "this_month":
      return { from: firstOfMonth, to: today };
    case "last_month": {
      const lastOfPrevious = addDays(firstOfMonth, -1);
      return { from: `${lastOfPrevious.slice(0, 7)}-01`, to: lastOfPrevious };
    }
  }
}

/**
 * `from`/`to` override `period`. Only `to`: the 7 days ending then; only
 * `from`: up to today. Null when from > to.
 */
export function resolveRange(q: { period: Period; from?: string; to?: string }, now = new Date()): DateRange | null {
  if (q.from === undefined && q.to === undefined) return presetRange(q.period, now);
  const to = q.to ?? isoDay(now);
  const from = q.from ?? addDays(to, -6);
  return from <= to ? { from, to } : null;
}

/** How many days the range holds (both ends included). */
export const daysBetween = (range: DateRange) => Math.round((dayStart(range.to).getTime() - dayStart(range.from).getTime()) / DAY_MS) + 1;

/** Every day of the range, ascending. */
export function daysOf(range: DateRange): string[] {
  const days: string[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** `%`, `_` and the escape character itself match literally inside LIKE (Postgres' default escape is `\`). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The days a query may name: from 2000-01-01 (before any message) to a year
 * from today (after any). Outside, dates soon stop being dates to Postgres
 * (year 0000, or 9999-12-31's next day, +010000-01-01), and no message is there.
 */
export const EARLIEST_DAY = "2000-01-01";
export const latestDay = (now = new Date()) => addDays(isoDay(now), 365);

const dayParam = z.iso
  .date("must be a date YYYY-MM-DD")
  .refine((day) => day >= EARLIEST_DAY && day <= latestDay(), { error: () => `must be a date from ${EARLIEST_DAY} to ${latestDay()}` });

const filterFields = {
  status: optional(z.enum(STATUS_FILTERS, { error: `must be one of ${STATUS_FILTERS.join(", ")}` })),
  phone: optional(z.string().trim().min(1).max(32, "must be at most 32 characters").refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)),
  country: optional(
    z
      .string()
      .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166 alpha-2 country code")
      .transform((c) => c.toUpperCase()),
  ).meta({ description: `ISO 3166 alpha-2, any case; ${UNKNOWN_COUNTRY} = numbers without a country` }),
  sender: optional(z.string().min(1).max(64, "must be at most 64 characters").refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)).meta({
    description: "Exact sender_id",
  }),
  period: z.preprocess(blankAsAbsent, z.enum(PERIODS, { error: `must be one of ${PERIODS.join(", ")}` }).default("7d")),
  from: optional(dayParam).meta({
    description: `First day (UTC), YYYY-MM-DD, from ${EARLIEST_DAY} to a year from today; overrides period`,
  }),
  to: optional(dayParam).meta({
    description: `Last day (UTC, inclusive), YYYY-MM-DD, from ${EARLIEST_DAY} to a year from today; overrides period`,
  }),
};

const pageFields = {
  page: z.preprocess(
    blankAsAbsent,
    z.coerce.number("must be an integer ≥ 1").int("must be an integer ≥ 1").min(1, "must be an integer ≥ 1").default(1),
  ),
  limit: z.preprocess(
    blankAsAbsent,
    z.coerce
      .number("must be an integer from 1 to 100")
      .int("must be an integer from 1 to 100")
      .min(1, "must be an integer from 1 to 100")
      .max(100, "must be an integer from 1 to 100")
      .default(25),
  ),
};

const sourceField = (fallback: SourceFilter) => ({
  source: z.preprocess(blankAsAbsent, z.enum(SOURCES, { error: `must be one of ${SOURCES.join(", ")}` }).default(fallback)),
});

type Fields = {
  status?: StatusFilter;
  phone?: string;
  country?: string;
  sender?: string;
  period: Period;
  from?: string;
  to?: string;
  source?: SourceFilter;
};

/** The optional conditions of a query, as parsed (the country upper-cased). */
export type FilterCriteria = { status?: StatusFilter; phone?: string; country?: string; sender?: string };

/** A parsed query: the resolved dates, the conditions, and the `where` of the messages it selects. */
export type MessageFilter = {
  range: DateRange;
  source: SourceFilter;
  criteria: FilterCriteria;
  where: (scope: MessageScope) => SQL;
};

function toFilter<T extends Fields>(q: T, ctx: z.RefinementCtx, defaultSource: SourceFilter) {
  const range = resolveRange(q);
  if (!range) {
    // Once an issue is added zod fails the parse, whatever is returned.
    ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after to" });
    return z.NEVER;
  }
  const source = q.source ?? defaultSource;
  const { status, phone, country, sender } = q;
  const filter: MessageFilter = {
    range,
    source,
    criteria: { status, phone, country, sender },
    where: ({ workspaceId, mode }) =>
      and(
        eq(messages.workspaceId, workspaceId),
        eq(messages.mode, mode),
        gte(messages.createdAt, dayStart(range.from)),
        lt(messages.createdAt, dayStart(addDays(range.to, 1))),
        source === "all" ? undefined : eq(messages.source, source === "api" ? "api" : "campaign"),
        status ? inArray(messages.status, [...STATUS_MAPPING[status]]) : undefined,
        phone ? like(messages.recipient, `%${escapeLike(phone)}%`) : undefined,
        country === UNKNOWN_COUNTRY ? isNull(messages.country) : country ? eq(messages.country, country) : undefined,
        sender ? eq(messages.senderId, sender) : undefined,
      )!,
  };
  return filter;
}

/** GET /sms/messages: API messages only. */
export const messagesQuery = z
  .object({ ...filterFields, ...pageFields })
  .transform((q, ctx) => ({ ...toFilter(q, ctx, "api"), page: q.page, limit: q.limit }));

/** GET /sms/messages/unified: API messages and broadcasts. */
export const unifiedQuery = z
  .object({ ...filterFields, ...pageFields, ...sourceField("all") })
  .transform((q, ctx) => ({ ...toFilter(q, ctx, "all"), page: q.page, limit: q.limit }));

/** GET /sms/messages/unified/export: the unified filters, no pagination. */
export const exportQuery = z.object({ ...filterFields, ...sourceField("all") }).transform((q, ctx) => toFilter(q, ctx, "all"));

/** GET /sms/stats*: API traffic unless told otherwise. */
export const statsQuery = z.object({ ...filterFields, ...sourceField("api") }).transform((q, ctx) => toFilter(q, ctx, "api"));

/** The daily series has one entry per day: at most 366 of them. */
export const MAX_DAILY_DAYS = 366;

/** GET /sms/stats/daily: the stats query over at most a year. */
export const dailyStatsQuery = statsQuery.refine((f) => daysBetween(f.range) <= MAX_DAILY_DAYS, {
  path: ["from"],
  message: `the period may span at most ${MAX_DAILY_DAYS} days`,
});

export type PagedFilter = z.output<typeof messagesQuery>;
