import { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/format/text";
import { countSegments, MAX_SEGMENTS, type Encoding } from "./encoding";
import { isValidSenderId, parseRecipient } from "./phone";

/**
 * The body of POST /sms/send: `{ to: string[] (1–100, E.164), message, sender_id }`.
 *
 * Checked in the FIXED order of docs/api-v1.md §3, the same in test and live mode, and the
 * first failure is the answer:
 *   body → to → too many → each number → message → length → sender_id
 * (→ balance, checked by the caller). So 101 recipients with a bad one among
 * them is TOO_MANY_RECIPIENTS, and a bad `to` hides a bad message or sender.
 * Unknown fields are ignored.
 */

export const MAX_RECIPIENTS = 100;

export type Recipient = { e164: string; country: string | null };

export type SendBody = {
  /** In request order. Duplicates are kept: each entry is one recipient, sent (and charged) once per entry. */
  to: Recipient[];
  /** As sent (not trimmed). */
  message: string;
  senderId: string;
  encoding: Encoding;
  segments: number;
};

/** The contract's codes for a refused send body (docs/api-v1.md §2); the API answers them as they are. */
export const SEND_INPUT_CODES = [
  "INVALID_BODY",
  "INVALID_TO",
  "TOO_MANY_RECIPIENTS",
  "INVALID_MESSAGE",
  "MESSAGE_TOO_LONG",
  "INVALID_SENDER",
] as const;
export type SendInputCode = (typeof SEND_INPUT_CODES)[number];

export type SendBodyResult = { ok: true; value: SendBody } | { ok: false; code: SendInputCode; description: string };

const fail = (code: SendInputCode, description: string): SendBodyResult => ({ ok: false, code, description });

/** A value for a description: JSON, cut short so a 60 KB string does not come back whole. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The whole check, in the contract's order, as a plain function (sendBodySchema wraps it). */
export function validateSendBody(body: unknown): SendBodyResult {
  // body
  if (!isPlainObject(body)) return fail("INVALID_BODY", "The body must be a JSON object");

  // to
  const to = body.to;
  if (to === undefined || to === null) return fail("INVALID_TO", "to is required: an array of E.164 numbers");
  if (!Array.isArray(to)) return fail("INVALID_TO", `to must be an array of E.164 numbers, got ${show(to)}`);
  if (to.length === 0) return fail("INVALID_TO", "to must list at least one number");

  // too many (before the numbers themselves)
  if (to.length > MAX_RECIPIENTS) {
    return fail("TOO_MANY_RECIPIENTS", `to has ${to.length} numbers; at most ${MAX_RECIPIENTS} are allowed per request`);
  }

  // each number; the first bad one is named by its index
  const recipients: Recipient[] = [];
  for (let i = 0; i < to.length; i++) {
    const entry: unknown = to[i];
    const parsed = typeof entry === "string" ? parseRecipient(entry) : ({ ok: false } as const);
    if (!parsed.ok) return fail("INVALID_TO", `to[${i}] is not an E.164 number: ${show(entry)}`);
    recipients.push({ e164: parsed.e164, country: parsed.country });
  }

  // message
  const message = body.message;
  if (message === undefined || message === null) return fail("INVALID_MESSAGE", "message is required");
  if (typeof message !== "string") return fail("INVALID_MESSAGE", `message must be a string, got ${show(message)}`);
  if (message.trim() === "") return fail("INVALID_MESSAGE", "message must not be empty");
  if (!isStorableText(message)) return fail("INVALID_MESSAGE", `message ${UNSTORABLE_TEXT_MESSAGE}`);

  // length
  const { encoding, segments } = countSegments(message);
  if (segments > MAX_SEGMENTS) {
    return fail("MESSAGE_TOO_LONG", `message needs ${segments} ${encoding} segments; at most ${MAX_SEGMENTS} are allowed`);
  }

  // sender_id
  const senderId = body.sender_id;
  if (senderId === undefined || senderId === null || senderId === "") return fail("INVALID_SENDER", "sender_id is required");
  if (typeof senderId !== "string" || !isValidSenderId(senderId)) {
    return fail(
      "INVALID_SENDER",
      `sender_id must be 3–11 letters and digits starting with a letter, or an E.164 number; got ${show(senderId)}`,
    );
  }

  return { ok: true, value: { to: recipients, message, senderId, encoding, segments } };
}

/**
 * The guard's body schema. One transform so the order above holds: zod would
 * otherwise report object fields in its own order. A failure is ONE issue at
 * the root (so the description is validateSendBody's, unprefixed) whose
 * `params.error_code` apiErrorFromZod turns into the documented code.
 * The `override` only documents the body in the OpenAPI document.
 */
export const sendBodySchema = z
  .unknown()
  .meta({
    override: {
      type: "object",
      required: ["to", "message", "sender_id"],
      properties: {
        to: {
          type: "array",
          minItems: 1,
          maxItems: MAX_RECIPIENTS,
          items: { type: "string", pattern: "^\\+[1-9]\\d{6,14}$", example: "+447400123456" },
          description: "Recipients in E.164 (no spaces). Duplicates are sent once per entry.",
        },
        message: {
          type: "string",
          minLength: 1,
          description: `GSM-7 or UCS-2; at most ${MAX_SEGMENTS} segments (1530 GSM-7 / 670 UCS-2 characters).`,
          example: "Your code is 123456",
        },
        sender_id: {
          type: "string",
          description: "3–11 letters and digits starting with a letter, or an E.164 number.",
          example: "Acme",
        },
      },
    },
  })
  .transform((body, ctx): SendBody => {
    const result = validateSendBody(body);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.description, params: { error_code: result.code } });
      return z.NEVER;
    }
    return result.value;
  });
