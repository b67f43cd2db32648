import { z } from "zod";
import type { ApiKeyRow } from "@/db/schema";
import { ALL_PERMISSIONS } from "@/lib/permissions/catalog";
import { displayKey } from "./format";

export const KEY_STATUSES = ["active", "disabled", "expired", "revoked"] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
export const EXPIRY_WARNING_MS = 7 * 24 * 3600 * 1000;

/**
 * The only shape a key leaves the server in (browser and API alike). Built from
 * an explicit list of fields, so a hash or a ciphertext can never reach a client.
 */
export const keyViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  mode: z.enum(["live", "test"]),
  start: z.string(),
  last4: z.string(),
  display: z.string(),
  permissions: z.array(z.enum(ALL_PERMISSIONS)),
  enabled: z.boolean(),
  hmac: z.boolean(),
  allowedCidrs: z.array(z.string()),
  postbackUrl: z.string().nullable(),
  offTheRecord: z.boolean(),
  /** (ours) The most it may spend per UTC day, in the workspace currency; null: no cap. */
  dailySpendCap: z.number().nullable(),
  /** (ours) The destination countries it may send to; empty: any. */
  allowedCountries: z.array(z.string()),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  lastUsedAddress: z.string().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: z.object({ id: z.number(), name: z.string() }).nullable(),
  /** The key that created this one through the keys API; revoking it revokes this one. */
  parentKeyId: z.string().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  previousSecretExpiresAt: z.iso.datetime().nullable(),
  status: z.enum(KEY_STATUSES),
  expiresSoon: z.boolean(),
});
export type KeyView = z.infer<typeof keyViewSchema>;

export function keyStatus(row: Pick<ApiKeyRow, "revokedAt" | "expiresAt" | "enabled">, now = Date.now()): KeyStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt.getTime() <= now) return "expired";
  if (!row.enabled) return "disabled";
  return "active";
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyView(row: ApiKeyRow, createdBy: { id: number; name: string } | null, now = Date.now()): KeyView {
  const status = keyStatus(row, now);
  const graceOpen = row.previousExpiresAt && row.previousExpiresAt.getTime() > now;
  return keyViewSchema.parse({
    id: row.id,
    name: row.name,
    mode: row.mode,
    start: row.start,
    last4: row.last4,
    display: displayKey(row),
    permissions: row.permissions,
    enabled: row.enabled,
    hmac: row.hmac,
    allowedCidrs: row.allowedCidrs,
    postbackUrl: row.postbackUrl,
    offTheRecord: row.offTheRecord,
    dailySpendCap: row.dailySpendCap === null ? null : Number(row.dailySpendCap),
    allowedCountries: row.allowedCountries,
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    lastUsedAddress: row.lastUsedAddress,
    createdAt: row.createdAt.toISOString(),
    createdBy,
    parentKeyId: row.parentKeyId,
    revokedAt: iso(row.revokedAt),
    previousSecretExpiresAt: graceOpen ? iso(row.previousExpiresAt) : null,
    status,
    expiresSoon: status === "active" && row.expiresAt !== null && row.expiresAt.getTime() - now < EXPIRY_WARNING_MS,
  });
}
