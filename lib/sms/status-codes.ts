/**
 * What a message's status code means, in words a person acts on: ONE table,
 * read by the API (the `failure` object, ours: docs/api-v1.md §3), the CSV
 * export, the delivery webhook and the portal's message page.
 *
 * Codes come from the carrier (the simulator's and the sandbox's 000–006),
 * from the send (a recipient refused before sending: blocked_country,
 * config_error) or from the finalizer (NO_REPORT: no report within 3 days).
 * status-codes.test.ts checks that every code the system produces is here.
 *
 * No message fails for want of money: a live send the balance does not cover is
 * refused whole (402 INSUFFICIENT_BALANCE) before any message exists, so there
 * is no insufficient_funds failure to report.
 */
import type { MessageStatus } from "@/db/schema";

export const FAILURE_CATEGORIES = [
  "invalid_number",
  "unreachable",
  "blocked_by_recipient",
  "carrier_rejected",
  "expired",
  "blocked_country",
  "unsupported_destination",
  "unknown",
] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

/** Each category in a few words, as the portal names it. */
export const FAILURE_CATEGORY_LABELS: Record<FailureCategory, string> = {
  invalid_number: "Number not in service",
  unreachable: "Phone unreachable",
  blocked_by_recipient: "Blocked by the recipient",
  carrier_rejected: "Rejected by the carrier",
  expired: "Expired undelivered",
  blocked_country: "Country blocked",
  unsupported_destination: "Destination not supported",
  unknown: "Outcome unknown",
};

/** Why a message was not delivered, and what to do about it (ours). */
export type Failure = {
  category: FailureCategory;
  /** Whether sending the same message again, unchanged, may succeed. */
  retryable: boolean;
  /** One line: what happened. */
  description: string;
  /** One line: what to do. */
  action: string;
};

type StatusCodeEntry = {
  /** The code in words, as the portal's status history shows it. */
  words: string;
  /** Null for a code that is no failure (delivered). */
  failure: Failure | null;
};

const UNREACHABLE: Failure = {
  category: "unreachable",
  retryable: true,
  description: "The phone could not be reached: it may be off, out of coverage or unable to receive SMS.",
  action: "Send it again later; if it keeps failing, confirm the number with the recipient.",
};
const CARRIER_REJECTED: Failure = {
  category: "carrier_rejected",
  retryable: false,
  description: "The carrier rejected the message: the number may be barred, or the sender not allowed on that network.",
  action: "Check the number and try another sender ID (a number instead of a name) before sending again.",
};
const EXPIRED: Failure = {
  category: "expired",
  retryable: true,
  description: "The phone stayed unreachable until the carrier gave up on the message.",
  action: "Send it again when the recipient is likely to be reachable.",
};
const UNKNOWN: Failure = {
  category: "unknown",
  retryable: true,
  description: "The carrier did not say whether the message arrived.",
  action: "It may have arrived: ask the recipient, or send it again if a duplicate does no harm.",
};

export const STATUS_CODE_TABLE: Record<string, StatusCodeEntry> = {
  "000": { words: "Delivered to the handset.", failure: null },
  "001": {
    words: "The carrier could not deliver it (the phone may be off, out of coverage or unable to receive SMS).",
    failure: UNREACHABLE,
  },
  "002": {
    words: "The carrier rejected it (the number may be invalid, barred, or the sender not allowed on that network).",
    failure: CARRIER_REJECTED,
  },
  "003": { words: "It expired before the handset could be reached.", failure: EXPIRED },
  "004": { words: "The carrier reported no final state.", failure: UNKNOWN },
  "005": {
    words: "The recipient has blocked messages from this sender.",
    failure: {
      category: "blocked_by_recipient",
      retryable: false,
      description: "The recipient has blocked messages from this sender (they opted out).",
      action: "Do not send to this number again unless the recipient opts back in.",
    },
  },
  "006": {
    words: "The number is not in service.",
    failure: {
      category: "invalid_number",
      retryable: false,
      description: "The number is not in service: it was never assigned or has been disconnected.",
      action: "Remove the number from your list, or ask the recipient for their current number.",
    },
  },
  NO_REPORT: {
    words: "No delivery report arrived within 3 days; treated as undelivered.",
    failure: {
      category: "unknown",
      retryable: true,
      description: "No delivery report arrived within 3 days, so the message counts as undelivered.",
      action: "It may have arrived: ask the recipient, or send it again if a duplicate does no harm.",
    },
  },
  blocked_country: {
    words: "The recipient's country is blocked in this workspace's settings. Not billed.",
    failure: {
      category: "blocked_country",
      retryable: false,
      description: "The recipient's country is blocked in this workspace's settings; the message was not sent or billed.",
      action: "If you mean to send there, remove the country from the blocked countries in Settings, then send again.",
    },
  },
  config_error: {
    words: "There is no price for the recipient's country. Not billed.",
    failure: {
      category: "unsupported_destination",
      retryable: false,
      description: "There is no price for the recipient's country, so the message was not sent or billed.",
      action: "Check the number's country code; if it is right, ask support to enable that destination.",
    },
  },
};

/**
 * A final status whose code is missing or not in the table (a real carrier's
 * own code) still gets a failure, from its status alone.
 */
const BY_STATUS: Partial<Record<MessageStatus, Failure>> = {
  UNDELIV: UNREACHABLE,
  REJECTD: CARRIER_REJECTED,
  EXPIRED,
  UNKNOWN,
  failed: {
    category: "carrier_rejected",
    retryable: false,
    description: "The carrier refused the message when it was handed over; its cost was refunded.",
    action: "Check the number and the sender ID before sending again.",
  },
};

/** The status code explained, or null for a code we do not know (it is shown as it is). */
export function explainStatusCode(code: string | null): string | null {
  return entryOf(code)?.words ?? null;
}

// Own keys only: a carrier's code "constructor" is not in the table.
function entryOf(code: string | null): StatusCodeEntry | undefined {
  return code !== null && Object.hasOwn(STATUS_CODE_TABLE, code) ? STATUS_CODE_TABLE[code] : undefined;
}

/**
 * The failure of a message that was not delivered; undefined while it is
 * pending or sent, and once it is delivered.
 */
export function failureOf(status: MessageStatus, code: string | null): Failure | undefined {
  const byStatus = BY_STATUS[status];
  if (!byStatus) return undefined;
  return { ...(entryOf(code)?.failure ?? byStatus) };
}
