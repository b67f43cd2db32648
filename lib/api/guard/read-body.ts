import { ApiError } from "../errors";

export const MAX_BODY_BYTES = 64 * 1024;
/** No body of this API nests deeper than 2 (an object of arrays); 10,000 levels overflowed the stack of whatever walked them. */
export const MAX_JSON_DEPTH = 32;

/**
 * The raw body as text, refusing more than 64 KiB however it is sent (declared
 * or chunked). `utf8: "strict"` (a body the endpoint reads) refuses bytes that
 * are not UTF-8 with INVALID_BODY; "lenient" (a body read only to check an HMAC
 * signature, on an endpoint that takes none) replaces them, so the signature
 * simply does not match.
 */
export async function readBody(req: Request, utf8: "strict" | "lenient" = "strict"): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new ApiError("PAYLOAD_TOO_LARGE");
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new ApiError("PAYLOAD_TOO_LARGE");
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: utf8 === "strict" }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError("INVALID_BODY", "The body is not valid UTF-8");
  }
}

/** A JSON object from the raw body: 415 for a declared non-JSON type, INVALID_BODY for anything else wrong. */
export function parseJsonObject(raw: string, contentType: string | null): Record<string, unknown> {
  const type = contentType?.split(";")[0].trim().toLowerCase();
  if (type && type !== "application/json" && !/^application\/[\w.-]+\+json$/.test(type)) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", `The body must be application/json, not ${type}`);
  }
  if (raw.trim() === "") throw new ApiError("INVALID_BODY", "The body is empty: send a JSON object");
  if (jsonDepth(raw) > MAX_JSON_DEPTH) throw new ApiError("INVALID_BODY", `The body nests more than ${MAX_JSON_DEPTH} levels deep`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ApiError("INVALID_BODY", "The body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError("INVALID_BODY", "The body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/**
 * The deepest nesting of [ and { in a JSON text, strings skipped, in one pass
 * without recursion, so the guard refuses a deep body before anything (the
 * parser, a schema, JSON.stringify in a description) recurses into it. Exact
 * for valid JSON; for anything else JSON.parse decides.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character; a quote ends the string.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
