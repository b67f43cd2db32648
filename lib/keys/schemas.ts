import { z } from "zod";
import { isStorableText } from "@/lib/format/text";
import { ALL_PERMISSIONS, NAMED_PERMISSIONS, WILDCARD, type Permission } from "@/lib/permissions/catalog";
import { cidrSchema } from "@/lib/net/cidr";

/**
 * Field schemas of a key, shared by the portal form, the server actions and the
 * keys API: one definition of what a valid key is.
 */
export const KEY_NAME_MAX = 100;
export const MAX_CIDRS = 100;
export const MAX_ROLL_GRACE_SECONDS = 7 * 24 * 3600;

export const keyNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(KEY_NAME_MAX, `Name must be at most ${KEY_NAME_MAX} characters`)
  .refine(isStorableText, "Name must not contain NUL characters or unpaired surrogates");

export const keyModeSchema = z.enum(["live", "test"], { error: 'Mode must be "live" or "test"' });

/** `*` stands alone; duplicates are dropped; catalog order. */
export function normalizePermissions(permissions: readonly Permission[]): Permission[] {
  if (permissions.includes(WILDCARD)) return [WILDCARD];
  return NAMED_PERMISSIONS.filter((p) => permissions.includes(p));
}

export const permissionsSchema = z
  .array(z.enum(ALL_PERMISSIONS, { error: (issue) => `Unknown permission: ${String(issue.input)}` }), {
    error: "Permissions must be a list",
  })
  .min(1, "Choose at least one permission")
  .transform(normalizePermissions);

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export const postbackUrlSchema = z
  .string()
  .trim()
  .max(2048, "URL must be at most 2048 characters")
  .refine(isHttpUrl, "Postback URL must be an http or https URL")
  .refine(isStorableText, "Postback URL must not contain NUL characters or unpaired surrogates");

export const allowedCidrsSchema = z.array(cidrSchema).max(MAX_CIDRS, `At most ${MAX_CIDRS} CIDRs`);

export const futureDateSchema = z.date({ error: "Not a valid date" }).refine((d) => d.getTime() > Date.now(), {
  message: "Expiry must be in the future",
});

export const rollGraceSchema = z
  .number({ error: "Grace period must be a number of seconds" })
  .int("Grace period must be whole seconds")
  .min(0, "Grace period cannot be negative")
  .max(MAX_ROLL_GRACE_SECONDS, "Grace period can be at most 7 days");

const editableFields = {
  name: keyNameSchema,
  permissions: permissionsSchema,
  offTheRecord: z.boolean(),
  allowedCidrs: allowedCidrsSchema,
  postbackUrl: postbackUrlSchema.nullable(),
  expiresAt: futureDateSchema.nullable(),
};

/** What creating a key takes, after parsing (the service's input). */
export const createKeyInputSchema = z.object({
  ...editableFields,
  mode: keyModeSchema,
  hmac: z.boolean().default(false),
  offTheRecord: editableFields.offTheRecord.default(false),
  allowedCidrs: editableFields.allowedCidrs.default([]),
  postbackUrl: editableFields.postbackUrl.default(null),
  expiresAt: editableFields.expiresAt.default(null),
});
export type CreateKeyInput = z.output<typeof createKeyInputSchema>;

/** What editing takes: any subset of the editable fields (no defaults: absent means unchanged). Mode and signing never change. */
export const updateKeyInputSchema = z.object({ ...editableFields, enabled: z.boolean() }).partial();
export type UpdateKeyInput = z.output<typeof updateKeyInputSchema>;

export const keyIdSchema = z.string().regex(/^key_[A-Za-z0-9_-]{1,64}$/, "Not a key id");
