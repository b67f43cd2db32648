import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * E.164 exactly as sent: a plus, a non-zero first digit, 7–15 digits in all.
 * No spaces, dashes or brackets; we do not reformat what the client sent.
 */
export const E164 = /^\+[1-9]\d{6,14}$/;

export type ParsedRecipient = { ok: true; e164: string; country: string | null } | { ok: false };

/**
 * One recipient: valid iff it is E.164 as sent AND libphonenumber-js finds the
 * number possible (a known calling code and a length that code allows). We ask
 * for "possible", not "valid": number plans change faster than the metadata,
 * and a carrier refuses a dead range anyway.
 *
 * The sandbox's magic numbers +15005550001…+15005550006 are possible (and even
 * valid, country US) with libphonenumber-js 1.13.16's metadata, so no special
 * case is needed; phone.test.ts pins this down so a metadata update that
 * changes it fails loudly.
 *
 * country: the parsed number's country, else the first possible country (a
 * shared calling code such as +1 or +44 without a precise match), else null
 * (non-geographic codes such as +800).
 */
export function parseRecipient(value: string): ParsedRecipient {
  if (!E164.test(value)) return { ok: false };
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed?.isPossible()) return { ok: false };
  const country = parsed.country ?? parsed.getPossibleCountries()[0] ?? null;
  // The number as sent, not parsed.number: libphonenumber would rewrite e.g.
  // "+4407911123456" (a stray trunk 0) to "+447911123456", and the client must
  // see its own spelling back in reports.
  return { ok: true, e164: value, country };
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

/** English short name of an ISO 3166 region code ("GB" → "United Kingdom"); the code itself if unknown. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    // RangeError: not a well-formed region code.
    return code;
  }
}

const ALPHANUMERIC_SENDER = /^[A-Za-z][A-Za-z0-9]{2,10}$/;

/** A sender id: 3–11 ASCII letters/digits starting with a letter, or an E.164 number. */
export function isValidSenderId(s: string): boolean {
  return ALPHANUMERIC_SENDER.test(s) || E164.test(s);
}
