import { z } from "zod";
import { getJobs } from "@/lib/runtime/jobs";
import { previewSend } from "@/lib/sms/preview";
import { hashBody, sendSms } from "@/lib/sms/send";
import { SEND_INPUT_CODES, sendBodySchema } from "@/lib/sms/send-input";
import { ApiError } from "../errors";
import { operation } from "../operation";
import { failureSchema } from "./sms";
import { GUARD_ERRORS } from "./account";

const sendResponseSchema = z
  .object({
    status: z.literal(true),
    messages: z.array(z.object({ dnis: z.string(), message_id: z.string(), segment_num: z.number() })),
    results: z.array(
      z.object({
        dnis: z.string(),
        message_id: z.string(),
        segments: z.number(),
        status: z.enum(["accepted", "blocked_country", "queue_error", "config_error"]),
        failure: failureSchema
          .optional()
          .meta({ description: "(ours) Why this recipient was refused and what to do; absent when accepted" }),
      }),
    ),
    summary: z.object({
      total_recipients: z.number(),
      total_segments: z.number(),
      total_cost: z.number(),
      encoding: z.enum(["GSM-7", "UCS-2"]),
      accepted_count: z.number(),
      blocked_count: z.number(),
      queue_error_count: z.number(),
      config_error_count: z.number(),
      db_error_count: z.number(),
    }),
    sandbox: z.literal(true).optional().meta({ description: "Present for test-mode keys" }),
  })
  .meta({ id: "SendResult" });

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

// POST /sms/send — send one message to 1–100 recipients
export const sendMessages = operation(
  {
    method: "POST",
    path: "/sms/send",
    tag: "SMS",
    summary: "Send an SMS to 1–100 recipients",
    description:
      "Validation order: body → to → too many → each number → message → length → sender_id → balance. An `Idempotency-Key` header makes a retry with the same body return the first response (24 h).\n\n**(ours)** A send that would take the key's spend of the UTC day past its `daily_spend_cap` is refused whole with 402 `KEY_SPEND_LIMIT` (adds `spent_today`, `daily_spend_cap`, `estimated_cost`, `currency`, `day`); a recipient outside the key's `allowed_countries` is `blocked_country`.",
    permission: "sms.send",
    body: sendBodySchema,
    response: sendResponseSchema,
    errors: [
      ...GUARD_ERRORS,
      ...SEND_INPUT_CODES,
      "INVALID_PARAMETER",
      "INSUFFICIENT_BALANCE",
      "KEY_SPEND_LIMIT",
      "IDEMPOTENCY_KEY_REUSED",
      "PAYLOAD_TOO_LARGE",
      "UNSUPPORTED_MEDIA_TYPE",
      "DB_ERROR",
      "SANDBOX_UNAVAILABLE",
    ],
  },
  async (ctx) => {
    const header = ctx.request.headers.get("idempotency-key");
    if (header !== null && !IDEMPOTENCY_KEY.test(header)) {
      throw new ApiError("INVALID_PARAMETER", "Idempotency-Key must be 1–255 visible ASCII characters");
    }
    const jobs = await getJobs();
    const outcome = await sendSms(
      { db: ctx.runtime.db, queue: jobs.queue, carriers: jobs.carriers },
      { key: ctx.key, requestId: ctx.requestId, idempotency: header === null ? null : { key: header, bodyHash: hashBody(ctx.rawBody) } },
      ctx.body,
    );
    return Response.json(outcome.body, { status: outcome.status, headers: { "Cache-Control": "no-store" } });
  },
);

const cost = { encoding: z.enum(["GSM-7", "UCS-2"]), segments: z.number(), characters: z.number(), total_cost: z.number() };
const previewResponseSchema = z
  .object({
    status: z.literal(true),
    preview: z.literal(true),
    recipients: z.array(
      z.object({
        dnis: z.string(),
        country: z.string().nullable(),
        network: z.string().nullable().meta({ description: "Known when the country has one network in the price list" }),
        status: z.enum(["accepted", "blocked_country", "config_error"]).meta({ description: "What the send would answer for it" }),
        price_per_segment: z.number().nullable(),
        segments: z.number(),
        encoding: z.enum(["GSM-7", "UCS-2"]),
        cost: z.number(),
      }),
    ),
    summary: z.object({
      ...cost,
      total_recipients: z.number(),
      billable_recipients: z.number(),
      currency: z.string(),
      balance: z.number(),
      balance_covers: z.boolean().meta({ description: "Whether the send would pass the balance check now" }),
      sandbox: z.boolean(),
    }),
    ucs2_characters: z
      .array(
        z.object({
          character: z.string(),
          code_point: z.string().meta({ example: "U+201C" }),
          position: z.number().meta({ description: "0-based, in code points" }),
          replacement: z.string().nullable().meta({ description: "The GSM-7 look-alike, or null" }),
        }),
      )
      .meta({ description: "The characters that forced UCS-2; empty for GSM-7" }),
    gsm7_rewrite: z
      .object({ ...cost, message: z.string(), replaced: z.number(), saving: z.number(), fits: z.boolean() })
      .nullable()
      .meta({ description: "The message with look-alikes (curly quotes, dashes, non-breaking spaces, ellipsis…) replaced, and its cost" }),
  })
  .meta({ id: "SendPreview" });

// POST /sms/preview — (ours) what a send would do, without sending
export const previewMessages = operation(
  {
    method: "POST",
    path: "/sms/preview",
    tag: "SMS",
    summary: "(ours) Preview a send: price, segments, encoding, and a cheaper GSM-7 rewrite",
    description:
      "**(ours)** Takes the body of POST /sms/send and answers what the send would do — per recipient and in total: country, network when known, price, segments, encoding — without storing, billing or sending anything. When the text falls to UCS-2 it names the characters that forced it (with their positions) and prices a GSM-7 rewrite that replaces look-alikes. Same validation and error codes as the send; no Idempotency-Key.",
    permission: "sms.send",
    body: sendBodySchema,
    response: previewResponseSchema,
    errors: [...GUARD_ERRORS, ...SEND_INPUT_CODES, "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  },
  async (ctx) => previewSend(ctx.runtime.db, ctx.key, ctx.body),
);
