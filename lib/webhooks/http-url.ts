/**
 * The checks of a webhook URL and signing secret that need no network, shared by
 * the API's body schema (lib/api/v1/webhooks.ts) and the portal's form schema
 * (./form-schema.ts), so both accept and refuse the same input. Browser-safe:
 * no node:* imports (where a name points is ./url-safety's job, on the server).
 */
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/format/text";

export const MAX_WEBHOOK_URL_LENGTH = 2048;
export const SIGNING_SECRET_MAX = 64;

/**
 * A URL refused for its scheme, its form or where it points. The message says
 * which, never more: not the addresses a name resolved to.
 */
export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeUrlError";
  }
}

/** Parses an http(s) URL with a host; throws UnsafeUrlError otherwise. */
export function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError("not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new UnsafeUrlError("must be an http or https URL");
  if (parsed.hostname === "") throw new UnsafeUrlError("URL has no host");
  return parsed;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** A URL setting: null, "" or blank turn the event off; anything else must be a storable http(s) URL. */
export function checkWebhookUrl(value: unknown): Checked<string | null> {
  if (value === null || value === "") return { ok: true, value: null };
  if (typeof value !== "string") return { ok: false, message: 'must be an http(s) URL, or null or "" to disable' };
  const url = value.trim();
  if (url === "") return { ok: true, value: null };
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, message: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` };
  if (!isStorableText(url)) return { ok: false, message: UNSTORABLE_TEXT_MESSAGE };
  try {
    parseHttpUrl(url);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  return { ok: true, value: url };
}

/** A new signing secret: 1–64 characters, each with a UTF-8 form (the secret that signs must be the one sent). */
export function checkSigningSecret(value: unknown): Checked<string> {
  if (typeof value !== "string" || value.length < 1 || value.length > SIGNING_SECRET_MAX)
    return { ok: false, message: `must be a string of 1–${SIGNING_SECRET_MAX} characters` };
  return isStorableText(value) ? { ok: true, value } : { ok: false, message: UNSTORABLE_TEXT_MESSAGE };
}
