import { z } from "zod";
import { isStorableText } from "@/lib/format/text";
import { ALL_PERMISSIONS, NAMED_PERMISSIONS, WILDCARD, type Permission } from "@/lib/permissions/catalog";
import { cidrSchema } from "@/lib/net/cidr";
import { isCountryCode } from "@/lib/format/country";

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

/** (ours) The highest daily spend cap a key can have, in the workspace currency. */
export const MAX_DAILY_SPEND_CAP = 1_000_000_000;

/**
 * (ours) A key's daily spend cap as the service takes it: a plain decimal (at most 5 decimals, the
 * money scale), 0 to MAX_DAILY_SPEND_CAP, normalized to the column's text ("25" → "25.00000").
 */
export const dailySpendCapSchema = z
  .string({ error: "Daily spend cap must be an amount" })
  .trim()
  .regex(/^\d{1,10}(\.\d{1,5})?$/, "Daily spend cap must be an amount of at most 5 decimals, like 25 or 12.5")
  .refine((s) => Number(s) <= MAX_DAILY_SPEND_CAP, `Daily spend cap can be at most ${MAX_DAILY_SPEND_CAP.toLocaleString("en")}`)
  .transform((s) => {
    const [whole, fraction = ""] = s.split(".");
    return `${BigInt(whole)}.${fraction.padEnd(5, "0")}`;
  });

export const MAX_ALLOWED_COUNTRIES = 250;

/** (ours) Destination countries a key may send to (empty: any): ISO 3166-1 alpha-2, any case; unique and sorted. */
export const allowedCountriesSchema = z
  .array(z.string({ error: "Countries must be ISO 3166 country codes" }).trim().toUpperCase(), {
    error: "Allowed countries must be a list of ISO 3166 country codes",
  })
  .max(MAX_ALLOWED_COUNTRIES, `At most ${MAX_ALLOWED_COUNTRIES} countries`)
  .transform((codes, ctx) => {
    const unknown = codes.filter((c) => !isCountryCode(c));
    if (unknown.length) ctx.addIssue({ code: "custom", message: `Not ISO 3166 country codes: ${unknown.join(", ")}` });
    return [...new Set(codes)].sort();
  });

const editableFields = {
  name: keyNameSchema,
  permissions: permissionsSchema,
  offTheRecord: z.boolean(),
  allowedCidrs: allowedCidrsSchema,
  postbackUrl: postbackUrlSchema.nullable(),
  expiresAt: futureDateSchema.nullable(),
  dailySpendCap: dailySpendCapSchema.nullable(),
  allowedCountries: allowedCountriesSchema,
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
  dailySpendCap: editableFields.dailySpendCap.default(null),
  allowedCountries: editableFields.allowedCountries.default([]),
});
type ParsedCreateKey = z.output<typeof createKeyInputSchema>;
/** The limits (ours) are optional for callers: left out, no cap and any country. */
export type CreateKeyInput = Omit<ParsedCreateKey, "dailySpendCap" | "allowedCountries"> &
  Partial<Pick<ParsedCreateKey, "dailySpendCap" | "allowedCountries">>;

/** What editing takes: any subset of the editable fields (no defaults: absent means unchanged). Mode and signing never change. */
export const updateKeyInputSchema = z.object({ ...editableFields, enabled: z.boolean() }).partial();
export type UpdateKeyInput = z.output<typeof updateKeyInputSchema>;

export const keyIdSchema = z.string().regex(/^key_[A-Za-z0-9_-]{1,64}$/, "Not a key id");
