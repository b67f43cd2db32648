import { z } from "zod";
import { cidrSchema } from "@/lib/net/cidr";
import { newKeyDefaults } from "@/lib/keys/restrictions";
import { getJobs } from "@/lib/runtime/jobs";
import type { Queue } from "@/lib/queue/queue";
import { createKey, getKey, listKeys, revokeKey, rollKey, updateKey } from "@/lib/keys/service";
import {
  allowedCidrsSchema,
  allowedCountriesSchema,
  dailySpendCapSchema,
  MAX_DAILY_SPEND_CAP,
  keyIdSchema,
  keyModeSchema,
  keyNameSchema,
  permissionsSchema,
  postbackUrlSchema,
  rollGraceSchema,
} from "@/lib/keys/schemas";
import { KEY_STATUSES, type KeyView } from "@/lib/keys/view";
import { ALL_PERMISSIONS } from "@/lib/permissions/catalog";
import { keyActor } from "../key-actor";
import { operation } from "../operation";
import { GUARD_ERRORS } from "./account";

/** A key as the API shows it (docs/api-v1.md §7): never a secret, never a hash. */
export const apiKeySchema = z
  .object({
    id: z.string().meta({ example: "key_3hF9sK2LmQpX7wZa" }),
    name: z.string(),
    mode: z.enum(["live", "test"]),
    start: z.string().meta({ example: "sk_prod_AbC1" }),
    last4: z.string(),
    permissions: z.array(z.enum(ALL_PERMISSIONS)),
    enabled: z.boolean(),
    status: z.enum(KEY_STATUSES),
    hmac: z.boolean(),
    allowed_cidrs: z.array(z.string()),
    postback_url: z.string().nullable(),
    off_the_record: z.boolean(),
    daily_spend_cap: z.number().nullable().meta({
      description:
        "(ours) The most the key may spend per UTC day, in the workspace currency; null: no cap. A send past it is refused whole (402 `KEY_SPEND_LIMIT`).",
    }),
    allowed_countries: z.array(z.string()).meta({
      description:
        "(ours) ISO 3166-1 alpha-2 destination countries the key may send to; empty: any. A recipient elsewhere gets `blocked_country`.",
    }),
    expires_at: z.iso.datetime().nullable(),
    last_used_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    revoked_at: z.iso.datetime().nullable(),
    parent_key_id: z
      .string()
      .nullable()
      .meta({ description: "The key that created this one through the API (null when a person did). Revoking it revokes this one." }),
  })
  .meta({ id: "ApiKey" });

const createdKeySchema = apiKeySchema
  .extend({
    secret: z.string().meta({ description: "The API key. Shown once." }),
    signing_secret: z.string().optional().meta({ description: "The HMAC signing secret, when hmac is on. Shown once." }),
  })
  .meta({ id: "CreatedApiKey" });

function toApiKey(k: KeyView): z.infer<typeof apiKeySchema> {
  return {
    id: k.id,
    name: k.name,
    mode: k.mode,
    start: k.start,
    last4: k.last4,
    permissions: k.permissions,
    enabled: k.enabled,
    status: k.status,
    hmac: k.hmac,
    allowed_cidrs: k.allowedCidrs,
    postback_url: k.postbackUrl,
    off_the_record: k.offTheRecord,
    daily_spend_cap: k.dailySpendCap,
    allowed_countries: k.allowedCountries,
    expires_at: k.expiresAt,
    last_used_at: k.lastUsedAt,
    created_at: k.createdAt,
    revoked_at: k.revokedAt,
    parent_key_id: k.parentKeyId,
  };
}

function withSecrets(created: { key: KeyView; secret: string; signingSecret: string | null }) {
  return { ...toApiKey(created.key), secret: created.secret, ...(created.signingSecret ? { signing_secret: created.signingSecret } : {}) };
}

const futureInstant = z.iso
  .datetime({ offset: true, error: "expires_at must be an ISO 8601 date-time" })
  .transform((s) => new Date(s))
  .refine((d) => d.getTime() > Date.now(), "expires_at must be in the future");

/** (ours) A cap as a JSON number (money is a number in this API), to the service's decimal text. */
const apiSpendCap = z
  .number({ error: "daily_spend_cap must be a number or null" })
  .min(0, "daily_spend_cap cannot be negative")
  .max(MAX_DAILY_SPEND_CAP, `daily_spend_cap can be at most ${MAX_DAILY_SPEND_CAP}`)
  .refine((n) => Number(n.toFixed(5)) === n, "daily_spend_cap has at most 5 decimals")
  .transform((n) => dailySpendCapSchema.parse(n.toFixed(5)));

// Left out, mode and the restrictions default to the calling key's own (lib/keys/restrictions.ts).
const createBody = z
  .object({
    name: keyNameSchema,
    mode: keyModeSchema.optional().meta({ description: "Defaults to the calling key's mode; a key can create keys of its own mode only." }),
    permissions: permissionsSchema,
    hmac: z.boolean().optional().meta({ description: "Defaults to the calling key's; must be true when the calling key signs." }),
    allowed_cidrs: allowedCidrsSchema.optional().meta({
      description: "Defaults to the calling key's; when it has any, each must lie inside one of them (and the list be non-empty).",
    }),
    postback_url: postbackUrlSchema
      .nullable()
      .default(null)
      .meta({ description: "Needs webhooks.write as well; must point at a public address." }),
    off_the_record: z.boolean().default(false).meta({ description: "true only when the calling key is off the record itself." }),
    expires_at: futureInstant
      .nullable()
      .optional()
      .meta({ description: "Defaults to the calling key's expiry; no later than it when it has one." }),
    daily_spend_cap: apiSpendCap.nullable().optional().meta({
      description:
        "(ours) The most the key may spend per UTC day (workspace currency, up to 5 decimals); null: no cap. Defaults to the calling key's; no higher than it when it has one.",
    }),
    allowed_countries: allowedCountriesSchema.optional().meta({
      description:
        "(ours) ISO 3166-1 alpha-2 destination countries; empty: any. Defaults to the calling key's; when it has any, non-empty and each among them.",
    }),
  })
  .meta({ id: "CreateApiKey" });

const updateBody = z
  .strictObject({
    name: keyNameSchema,
    permissions: permissionsSchema,
    enabled: z.boolean(),
    allowed_cidrs: z
      .array(cidrSchema)
      .max(100)
      .meta({ description: "When the calling key has allowed CIDRs, non-empty and each inside one of them." }),
    postback_url: postbackUrlSchema
      .nullable()
      .meta({ description: "Changing it needs webhooks.write as well; must point at a public address." }),
    off_the_record: z.boolean().meta({ description: "true only when the calling key is off the record itself." }),
    expires_at: futureInstant.nullable().meta({ description: "No later than the calling key's own expiry, when it has one." }),
    daily_spend_cap: apiSpendCap.nullable().meta({
      description: "(ours) null removes the cap. No higher than the calling key's own cap, when it has one (lowering is always allowed).",
    }),
    allowed_countries: allowedCountriesSchema.meta({
      description: "(ours) [] allows any country. When the calling key has allowed countries, non-empty and each among them.",
    }),
  })
  .partial()
  .meta({ id: "UpdateApiKey", description: "Any subset of the editable fields; mode and hmac never change." });

/** Rolling and revoking enqueue key.rolled / key.revoked (when subscribed) on the process's job queue. */
const queueOfProcess = (): Promise<Queue> => getJobs().then((jobs) => jobs.queue);

const rollBody = z.object({ expires_in_seconds: rollGraceSchema.default(0) }).meta({ id: "RollApiKey" });
const idParams = z.object({ id: keyIdSchema });
const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});

const RESTRICT =
  "A key can never make a key — itself included — less restricted than itself: allowed CIDRs inside its own, HMAC when it signs, an expiry no later than its own, off the record only when it is itself, (ours) a daily spend cap no higher than its own and allowed countries among its own (403 `FORBIDDEN`).";

const KEY_ERRORS = [...GUARD_ERRORS, "NOT_FOUND"] as const;
const WRITE_ERRORS = [...KEY_ERRORS, "INVALID_BODY", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "CONFLICT"] as const;

// GET /keys — the workspace's keys (paginated; never a secret)
export const listApiKeys = operation(
  {
    method: "GET",
    path: "/keys",
    tag: "API keys",
    summary: "List API keys",
    description:
      "Keys of the calling key's mode (a test key sees test keys only) that the key's creator may see in the portal: all keys for Owners and Admins, keys within their role's permissions for others.",
    permission: "keys.read",
    query: listQuery,
    response: z.object({ keys: z.array(apiKeySchema), total: z.number(), page: z.number(), limit: z.number(), total_pages: z.number() }),
    errors: [...GUARD_ERRORS, "INVALID_PARAMETER"],
  },
  async (ctx) => {
    const page = await listKeys(ctx.runtime.db, keyActor(ctx), {
      page: ctx.query.page,
      pageSize: ctx.query.limit,
      sort: "createdAt",
      dir: "desc",
      q: "",
    });
    return { keys: page.rows.map(toApiKey), total: page.total, page: page.page, limit: page.pageSize, total_pages: page.pageCount };
  },
);

// POST /keys — create a key within this key's own permissions; returns the secret once
export const createApiKey = operation(
  {
    method: "POST",
    path: "/keys",
    tag: "API keys",
    summary: "Create an API key",
    description: `Within the calling key's permissions and of its mode (another mode is 403 \`FORBIDDEN\`). ${RESTRICT} Left out, mode, hmac, allowed_cidrs, expires_at and (ours) daily_spend_cap and allowed_countries are the calling key's own.`,
    permission: "keys.write",
    body: createBody,
    response: createdKeySchema,
    status: 201,
    errors: [...WRITE_ERRORS],
  },
  async (ctx) => {
    const b = ctx.body;
    const actor = keyActor(ctx);
    const defaults = newKeyDefaults(actor);
    const created = await createKey(ctx.runtime.db, actor, {
      name: b.name,
      mode: b.mode ?? defaults.mode,
      permissions: b.permissions,
      hmac: b.hmac ?? defaults.hmac,
      allowedCidrs: b.allowed_cidrs ?? [...defaults.allowedCidrs],
      postbackUrl: b.postback_url,
      offTheRecord: b.off_the_record,
      expiresAt: b.expires_at === undefined ? defaults.expiresAt : b.expires_at,
      dailySpendCap: b.daily_spend_cap === undefined ? defaults.dailySpendCap : b.daily_spend_cap,
      allowedCountries: b.allowed_countries ?? [...defaults.allowedCountries],
    });
    return Response.json(withSecrets(created), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
);

// GET /keys/:id — one key
export const getApiKey = operation(
  {
    method: "GET",
    path: "/keys/{id}",
    tag: "API keys",
    summary: "Get an API key",
    description: "A key the calling key may not list (another workspace, another mode, beyond its creator's role) is 404 `NOT_FOUND`.",
    permission: "keys.read",
    params: idParams,
    response: apiKeySchema,
    errors: [...KEY_ERRORS],
  },
  async (ctx) => toApiKey(await getKey(ctx.runtime.db, keyActor(ctx), ctx.params.id)),
);

// PATCH /keys/:id — change name, permissions, enabled, expiry, CIDRs, postback URL, off-the-record, (ours) spend cap and countries
export const updateApiKey = operation(
  {
    method: "PATCH",
    path: "/keys/{id}",
    tag: "API keys",
    summary: "Update an API key",
    description: RESTRICT,
    permission: "keys.write",
    params: idParams,
    body: updateBody,
    response: apiKeySchema,
    errors: [...WRITE_ERRORS],
  },
  async (ctx) => {
    const b = ctx.body;
    const updated = await updateKey(ctx.runtime.db, keyActor(ctx), ctx.params.id, {
      name: b.name,
      permissions: b.permissions,
      enabled: b.enabled,
      allowedCidrs: b.allowed_cidrs,
      postbackUrl: b.postback_url,
      offTheRecord: b.off_the_record,
      expiresAt: b.expires_at,
      dailySpendCap: b.daily_spend_cap,
      allowedCountries: b.allowed_countries,
    });
    return toApiKey(updated);
  },
);

// POST /keys/:id/roll — a new secret; the old one works for expires_in_seconds more (0 = stops now)
export const rollApiKey = operation(
  {
    method: "POST",
    path: "/keys/{id}/roll",
    tag: "API keys",
    summary: "Roll an API key",
    description:
      "The new secret goes to the caller, so only a key at least as restricted as the calling key can be rolled (403 `FORBIDDEN` otherwise).",
    permission: "keys.write",
    params: idParams,
    body: rollBody,
    bodyOptional: true,
    response: createdKeySchema,
    errors: [...WRITE_ERRORS],
  },
  async (ctx) => withSecrets(await rollKey(ctx.runtime.db, keyActor(ctx), ctx.params.id, ctx.body.expires_in_seconds, queueOfProcess)),
);

// DELETE /keys/:id — revoke: refused everywhere within a second; stays listed as revoked
export const revokeApiKey = operation(
  {
    method: "DELETE",
    path: "/keys/{id}",
    tag: "API keys",
    summary: "Revoke an API key",
    description: "The keys it created through the API, and theirs, are revoked with it.",
    permission: "keys.write",
    params: idParams,
    response: apiKeySchema,
    // No body, but one is read (at most 64 KiB) for an HMAC key's signature.
    errors: [...KEY_ERRORS, "CONFLICT", "PAYLOAD_TOO_LARGE"],
  },
  async (ctx) => toApiKey(await revokeKey(ctx.runtime.db, keyActor(ctx), ctx.params.id, queueOfProcess)),
);
