import { z } from "zod";
import { validateSendBody, type SendBody, type SendInputCode } from "./send-input";

/**
 * The portal's "Send a test message" form: one schema for the browser (the
 * resolver) and the server (the action), on top of the API's own send
 * validation (validateSendBody), so the composer refuses exactly what
 * POST /sms/send and POST /sms/preview refuse — its message put on the field.
 */

/** The form field each of the send's refusal codes belongs to. */
const FIELD_OF: Record<SendInputCode, "to" | "message" | "senderId"> = {
  INVALID_BODY: "to",
  INVALID_TO: "to",
  TOO_MANY_RECIPIENTS: "to",
  INVALID_MESSAGE: "message",
  MESSAGE_TOO_LONG: "message",
  INVALID_SENDER: "senderId",
};

/** Recipients as typed: separated by commas, semicolons, spaces or new lines. */
export function splitRecipients(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A readable message for the form: the API's description, with "to" named as the field is. */
function describe(code: SendInputCode, description: string): string {
  if (code === "INVALID_TO" && /to must list at least one/.test(description)) return "Enter at least one recipient";
  if (code === "INVALID_TO")
    return description.replace(/^to\[(\d+)\] is not an E\.164 number: (.*)$/, "Recipient $2 is not an E.164 number (e.g. +447700900123)");
  if (code === "INVALID_MESSAGE" && /must not be empty|is required/.test(description)) return "Enter the message text";
  if (code === "INVALID_SENDER" && /is required/.test(description)) return "Enter a sender";
  return description.charAt(0).toUpperCase() + description.slice(1);
}

const composeFields = z.object({
  to: z.string().max(5000, "At most 100 recipients"),
  senderId: z.string().max(20, "A sender is 3–11 letters and digits, or an E.164 number"),
  message: z.string().max(5000, "The message is too long"),
});

/** The send body the API would have parsed from these values, or NEVER with the refusal put on its field. */
function bodyOf(values: z.output<typeof composeFields>, ctx: z.RefinementCtx): SendBody {
  const result = validateSendBody({ to: splitRecipients(values.to), message: values.message, sender_id: values.senderId });
  if (result.ok) return result.value;
  ctx.addIssue({ code: "custom", path: [FIELD_OF[result.code]], message: describe(result.code, result.description) });
  return z.NEVER;
}

const modeSchema = z.enum(["test", "live"], { error: "Choose test or live mode" });

/** The live preview's input: the fields as typed and the mode chosen. */
export const composePreviewSchema = composeFields.extend({ mode: modeSchema }).transform((values, ctx) => {
  const body = bodyOf(values, ctx);
  return { body, mode: values.mode };
});
export type ComposePreviewValues = z.input<typeof composePreviewSchema>;

/** Sending adds the explicit confirmation a live send needs, and an idempotency key per form (a double submit sends once). */
export const composeSendSchema = composeFields
  .extend({
    mode: modeSchema,
    confirmLive: z.boolean(),
    idempotencyKey: z.uuid("The form is out of date: reload the page"),
  })
  .transform((values, ctx) => {
    // One transform, so a missing confirmation and a bad field are reported together.
    if (values.mode === "live" && !values.confirmLive) {
      ctx.addIssue({ code: "custom", path: ["confirmLive"], message: "Confirm that this live message is sent and billed" });
    }
    const body = bodyOf(values, ctx);
    return { body, mode: values.mode, idempotencyKey: values.idempotencyKey };
  });
export type ComposeSendValues = z.input<typeof composeSendSchema>;
export type ComposeSend = z.output<typeof composeSendSchema>;
