/**
 * What a message's status code means, in words a person acts on. Codes come
 * from the carrier (the simulator's 000–004), from the send (a recipient refused
 * before sending) or from the finalizer (no report within 3 days).
 */
const STATUS_CODE_WORDS: Record<string, string> = {
  "000": "Delivered to the handset.",
  "001": "The carrier could not deliver it (the phone may be off, out of coverage or unable to receive SMS).",
  "002": "The carrier rejected it (the number may be invalid, barred, or the sender not allowed on that network).",
  "003": "It expired before the handset could be reached.",
  "004": "The carrier reported no final state.",
  NO_REPORT: "No delivery report arrived within 3 days; treated as undelivered.",
  blocked_country: "The recipient's country is blocked in this workspace's settings. Not billed.",
  config_error: "There is no price for the recipient's country. Not billed.",
};

/** The status code explained, or null for a code we do not know (it is shown as it is). */
export function explainStatusCode(code: string | null): string | null {
  if (!code) return null;
  return STATUS_CODE_WORDS[code] ?? null;
}
