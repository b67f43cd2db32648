import type { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "@/lib/format/text";
import { API_ERRORS, ApiError, type ApiErrorCode } from "../errors";

/**
 * A zod failure as one documented error: a custom issue may name its code
 * (`params: { error_code }`, e.g. INVALID_TO); otherwise the input's default
 * code. The description names the first problem and where it is.
 */
export function apiErrorFromZod(error: z.ZodError, fallback: ApiErrorCode): ApiError {
  const issue = error.issues[0];
  const named = (issue as { params?: { error_code?: string } }).params?.error_code;
  const code = named && named in API_ERRORS ? (named as ApiErrorCode) : fallback;
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  return new ApiError(code, `${where}${issue.message}`);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, fallback: ApiErrorCode): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw apiErrorFromZod(result.error, fallback);
  return result.data;
}

/**
 * An input parsed by its schema, then the backstop behind the schema's own
 * checks (which name the field's code: INVALID_MESSAGE, INVALID_URL…): no
 * string Postgres cannot store (NUL, an unpaired surrogate; lib/format/text.ts)
 * gets past the guard. A body is checked as parsed (unknown fields are dropped
 * and never stored); query and path parameters as sent (their parsed form may
 * hide strings in closures). `fallback` is the input's own code.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, fallback: ApiErrorCode, check: "input" | "output"): z.output<S> {
  const parsed = parseWith(schema, value, fallback);
  assertStorable(check === "input" ? value : parsed, fallback);
  return parsed;
}

function assertStorable(value: unknown, code: ApiErrorCode): void {
  const where = unstorablePath(value, []);
  if (where) throw new ApiError(code, `${where.length ? `${where.join(".")}: ` : ""}${UNSTORABLE_TEXT_MESSAGE}`);
}

function unstorablePath(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === "string") return isStorableText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [name, field] of Object.entries(value)) {
      const found = isStorableText(name) ? unstorablePath(field, [...path, name]) : [...path, JSON.stringify(name)];
      if (found) return found;
    }
  }
  return null;
}

/** Query parameters as an object; a repeated name keeps its first value. */
export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (!(name in out)) out[name] = value;
  return out;
}
