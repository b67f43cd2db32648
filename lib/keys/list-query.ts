import { z } from "zod";
import { KEY_SORTS, type ListKeysQuery } from "./service";

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** The keys table's URL state; anything malformed falls back to the default rather than erroring. */
const schema = z.object({
  q: z.preprocess(first, z.string().max(100).catch("")).default(""),
  sort: z.preprocess(first, z.enum(KEY_SORTS).catch("createdAt")).default("createdAt"),
  dir: z.preprocess(first, z.enum(["asc", "desc"]).catch("desc")).default("desc"),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(1_000_000).catch(1)).default(1),
  size: z.preprocess(first, z.coerce.number().int().min(10).max(100).catch(20)).default(20),
});

export function parseListKeysQuery(params: Record<string, string | string[] | undefined>): ListKeysQuery {
  const v = schema.parse(params);
  return { q: v.q, sort: v.sort, dir: v.dir, page: v.page, pageSize: v.size };
}
