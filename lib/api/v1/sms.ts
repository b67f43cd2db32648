/**
 * Reading messages back (docs/api-v1.md §3): status, history, the CSV export and
 * statistics. Every read is scoped to the key's workspace and mode (§6).
 */
import { z } from "zod";
import { MESSAGE_STATUSES } from "@/db/schema";
import { isStorableText } from "@/lib/format/text";
import { dailyStatsQuery, exportQuery, messagesQuery, statsQuery, unifiedQuery, type MessageScope } from "@/lib/sms/filters";
import { EXPORT_COLUMNS, exportCsv, exportHeaders, listMessages, listUnified, messageStatus } from "@/lib/sms/history";
import { FAILURE_CATEGORIES } from "@/lib/sms/status-codes";
import { dailyStats, smsStats, statsByCountry } from "@/lib/sms/stats";
import type { VerifiedKey } from "@/lib/keys/verify";
import { operation } from "../operation";
import { GUARD_ERRORS } from "./account";

const READ_ERRORS = [...GUARD_ERRORS, "INVALID_PARAMETER"] as const;

const status = z
  .enum(MESSAGE_STATUSES)
  .meta({ description: "pending, sent (not final); DELIVRD, UNDELIV, REJECTD, EXPIRED, UNKNOWN, failed (final)" });
const money = z.number().meta({ description: "In the workspace currency", example: 0.0085 });
const instant = z.iso.datetime();
const messageId = z.string().meta({ example: "api_42_1743667200123456789_a3f8b2c1d9e45f67" });
const e164 = z.string().meta({ example: "+14155551234" });

/** Ours: why a message was not delivered and what to do (lib/sms/status-codes.ts); absent on delivered and unfinished messages. */
export const failureSchema = z
  .object({
    category: z.enum(FAILURE_CATEGORIES),
    retryable: z.boolean().meta({ description: "Whether sending the same message again, unchanged, may succeed" }),
    description: z.string().meta({
      description: "What happened, in one line",
      example: "The number is not in service: it was never assigned or has been disconnected.",
    }),
    action: z.string().meta({
      description: "What to do, in one line",
      example: "Remove the number from your list, or ask the recipient for their current number.",
    }),
  })
  .meta({
    id: "Failure",
    description:
      "(ours) Why the message was not delivered and what to do, from one table of status codes. Present only on a message that was not delivered (UNDELIV, REJECTD, EXPIRED, UNKNOWN, failed).",
  });
const failure = failureSchema.optional();

export const messageStatusSchema = z
  .object({
    status: z.literal(true),
    message: z.object({
      message_id: messageId,
      recipient: e164,
      segments: z.number().int(),
      message: z.string(),
      sender_id: z.string(),
      status,
      status_code: z.string().nullable(),
      cost: money,
      created_at: instant,
      delivered_at: instant.nullable(),
      failure,
    }),
  })
  .meta({ id: "MessageStatus" });

export const smsMessageSchema = z
  .object({
    id: z.number().int().meta({ description: "Row id" }),
    client_message_id: messageId,
    recipient: e164,
    sender_id: z.string(),
    message: z.string(),
    status,
    status_code: z.string().nullable(),
    segments: z.number().int(),
    cost: money,
    created_at: instant,
    delivered_at: instant.nullable(),
    failure,
  })
  .meta({ id: "SmsMessage" });

export const unifiedMessageSchema = z
  .object({
    id: messageId,
    source: z.enum(["api", "campaign"]),
    recipient: e164,
    sender_id: z.string(),
    message: z.string(),
    status,
    status_code: z.string().nullable(),
    cost: money,
    sent_at: instant.meta({ description: "When the send was requested" }),
    delivered_at: instant.nullable(),
    clicked: z.boolean(),
    clicked_at: instant.nullable(),
    action_type: z.string().nullable(),
    action_at: instant.nullable(),
    failure,
  })
  .meta({ id: "UnifiedMessage" });

const envelope = { total: z.number().int(), page: z.number().int(), limit: z.number().int(), total_pages: z.number().int() };

const counters = {
  total_sent: z.number().int().meta({ description: "sent + not_billed" }),
  sent: z.number().int().meta({ description: "delivered + undelivered + pending + expired" }),
  delivered: z.number().int().meta({ description: "DELIVRD" }),
  undelivered: z.number().int().meta({ description: "UNDELIV + REJECTD + UNKNOWN" }),
  pending: z.number().int().meta({ description: "pending + sent" }),
  expired: z.number().int().meta({ description: "EXPIRED" }),
  not_billed: z.number().int().meta({ description: "failed: refused before sending, cost 0" }),
  failed: z.number().int().meta({ description: "= undelivered" }),
  click_count: z.number().int(),
  unique_click_count: z.number().int(),
  action_count: z.number().int(),
  sent_rate: z.number().meta({ description: "sent / total_sent × 100, 2 decimals" }),
  delivery_rate: z.number().meta({ description: "delivered / sent × 100, 2 decimals" }),
  total_cost: money,
  avg_cost_per_msg: money.meta({ description: "total_cost / sent" }),
  currency: z.string().meta({ example: "EUR" }),
};
const day = z.iso.date();
const period = z.object({ from: day, to: day }).meta({ id: "StatsPeriod", description: "Inclusive UTC dates" });

export const smsStatsSchema = z.object(counters).meta({ id: "SmsStats" });
const dailySchema = z.object({ date: day, ...counters }).meta({ id: "SmsDailyStats" });
const countrySchema = z
  .object({ country: z.string().meta({ description: "ISO 3166 alpha-2; ZZ = no country" }), country_name: z.string(), ...counters })
  .meta({ id: "SmsCountryStats" });

const scopeOf = (ctx: { key: VerifiedKey; workspace: { id: number } }): MessageScope => ({
  workspaceId: ctx.workspace.id,
  mode: ctx.key.mode,
});

// GET /sms/status/:message_id — one message of this workspace and mode
export const getMessageStatus = operation(
  {
    method: "GET",
    path: "/sms/status/{message_id}",
    tag: "SMS",
    summary: "Get a message's status",
    permission: "sms.read",
    // An id that cannot exist (NUL, unpaired surrogate) is as unknown as a missing one.
    params: z.object({ message_id: z.string().min(1).max(100).refine(isStorableText, "Message not found") }),
    response: messageStatusSchema,
    errors: [...GUARD_ERRORS, "NOT_FOUND"],
  },
  async (ctx) => ({ status: true, message: await messageStatus(ctx.runtime.db, scopeOf(ctx), ctx.params.message_id) }),
);

// GET /sms/messages — API messages, newest first, paginated
export const listSmsMessages = operation(
  {
    method: "GET",
    path: "/sms/messages",
    tag: "SMS",
    summary: "List messages",
    permission: "sms.read",
    query: messagesQuery,
    response: z.object({ messages: z.array(smsMessageSchema), ...envelope }),
    errors: [...READ_ERRORS],
  },
  async (ctx) => listMessages(ctx.runtime.db, scopeOf(ctx), ctx.query),
);

// GET /sms/messages/unified — API messages and broadcasts, newest first, paginated
export const listUnifiedMessages = operation(
  {
    method: "GET",
    path: "/sms/messages/unified",
    tag: "SMS",
    summary: "List API and broadcast messages",
    permission: "sms.read",
    query: unifiedQuery,
    response: z.object({ messages: z.array(unifiedMessageSchema), ...envelope }),
    errors: [...READ_ERRORS],
  },
  async (ctx) => listUnified(ctx.runtime.db, scopeOf(ctx), ctx.query),
);

// GET /sms/messages/unified/export — the filtered messages as a streamed CSV (no message texts)
export const exportMessages = operation(
  {
    method: "GET",
    path: "/sms/messages/unified/export",
    tag: "SMS",
    summary: "Export messages as CSV",
    description:
      "Streams `text/csv; charset=utf-8` (RFC 4180), newest first, at most 1,000,000 rows. Message texts are not exported; a free-text cell starting with = + - @, tab or CR is prefixed with '. (ours) The last four columns, failure_category, failure_retryable (true/false), failure_description and failure_action, hold the `failure` of a message that was not delivered and are empty otherwise.",
    permission: "sms.read",
    query: exportQuery,
    response: z.string().meta({ example: EXPORT_COLUMNS.join(",") }),
    responseType: "text/csv",
    errors: [...READ_ERRORS],
  },
  async (ctx) => new Response(await exportCsv(ctx.runtime.db, scopeOf(ctx), ctx.query), { headers: exportHeaders(ctx.query.range) }),
);

// GET /sms/stats — delivery counters and cost over the period
export const getSmsStats = operation(
  {
    method: "GET",
    path: "/sms/stats",
    tag: "SMS",
    summary: "Get delivery statistics",
    permission: "sms.read",
    query: statsQuery,
    response: z.object({ status: z.literal(true), stats: smsStatsSchema, period }),
    errors: [...READ_ERRORS],
  },
  async (ctx) => smsStats(ctx.runtime.db, scopeOf(ctx), ctx.query),
);

// GET /sms/stats/daily — the counters per UTC day, every day of the period
export const getDailySmsStats = operation(
  {
    method: "GET",
    path: "/sms/stats/daily",
    tag: "SMS",
    summary: "Get delivery statistics per day",
    permission: "sms.read",
    query: dailyStatsQuery,
    response: z.object({ status: z.literal(true), days: z.array(dailySchema), period }),
    errors: [...READ_ERRORS],
  },
  async (ctx) => dailyStats(ctx.runtime.db, scopeOf(ctx), ctx.query),
);

// GET /sms/stats/by-country — the counters per destination country, most messages first
export const getSmsStatsByCountry = operation(
  {
    method: "GET",
    path: "/sms/stats/by-country",
    tag: "SMS",
    summary: "Get delivery statistics per country",
    permission: "sms.read",
    query: statsQuery,
    response: z.object({ status: z.literal(true), countries: z.array(countrySchema), period }),
    errors: [...READ_ERRORS],
  },
  async (ctx) => statsByCountry(ctx.runtime.db, scopeOf(ctx), ctx.query),
);
