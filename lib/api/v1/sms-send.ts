import { z } from "zod";
import { getJobs } from "@/lib/runtime/jobs";
import { hashBody, sendSms } from "@/lib/sms/send";
import { SEND_INPUT_CODES, sendBodySchema } from "@/lib/sms/send-input";
import { ApiError } from "../errors";
import { operation } from "../operation";
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
      "Validation order: body → to → too many → each number → message → length → sender_id → balance. An `Idempotency-Key` header makes a retry with the same body return the first response (24 h).",
    permission: "sms.send",
    body: sendBodySchema,
    response: sendResponseSchema,
    errors: [
      ...GUARD_ERRORS,
      ...SEND_INPUT_CODES,
      "INVALID_PARAMETER",
      "INSUFFICIENT_BALANCE",
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
