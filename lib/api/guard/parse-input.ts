import type { z } from "zod";
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

/** Query parameters as an object; a repeated name keeps its first value. */
export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (!(name in out)) out[name] = value;
  return out;
}
