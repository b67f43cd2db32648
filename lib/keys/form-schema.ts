import { z } from "zod";
import { NAMED_PERMISSIONS, WILDCARD, type NamedPermission, type Permission } from "@/lib/permissions/catalog";
import { cidrSchema } from "@/lib/net/cidr";
import {
  allowedCountriesSchema,
  dailySpendCapSchema,
  keyNameSchema,
  MAX_CIDRS,
  normalizePermissions,
  postbackUrlSchema,
  type CreateKeyInput,
  type UpdateKeyInput,
} from "./schemas";

/**
 * The create/edit form's schema — the same one the server actions parse with, so
 * a message the browser shows by a field is the message the server would give.
 * It speaks the form's language (access choice, expiry preset, CIDR rows) and
 * transforms into the service's input.
 */
export const EXPIRY_CHOICES = ["never", "30", "60", "90", "custom"] as const;
export const EXPIRY_LABELS: Record<(typeof EXPIRY_CHOICES)[number], string> = {
  never: "Never",
  "30": "In 30 days",
  "60": "In 60 days",
  "90": "In 90 days",
  custom: "On a date…",
};

const DAY_MS = 24 * 3600 * 1000;

const fields = z.object({
  name: keyNameSchema,
  access: z.enum(["full", "restricted"]),
  // One message on the list (where the form shows it), not on a hidden element index.
  permissions: z.array(z.string()).transform((list, ctx) => {
    const unknown = list.filter((p) => !(NAMED_PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length) ctx.addIssue({ code: "custom", message: `Unknown permission: ${unknown.join(", ")}` });
    return list as NamedPermission[];
  }),
  offTheRecord: z.boolean(),
  postbackUrl: z.string().trim(),
  allowedCidrs: z.array(z.object({ value: cidrSchema })).max(MAX_CIDRS, `At most ${MAX_CIDRS} CIDRs`),
  expiry: z.enum(EXPIRY_CHOICES),
  // YYYY-MM-DD, read when expiry is "custom"; the key expires at 00:00 UTC that day.
  expiresOn: z.string(),
  // (ours) "" is no cap. Left out (a caller that predates the limits), the key's cap is not touched.
  dailySpendCap: z.string().optional(),
  // (ours) Codes separated by commas or spaces; "" is any country. Left out: not touched.
  allowedCountries: z.string().optional(),
});
type Fields = z.output<typeof fields>;

function refineFields(v: Fields, ctx: z.RefinementCtx) {
  // Runs even when other fields failed (see crossField), so it reads defensively.
  if (v.access === "restricted" && Array.isArray(v.permissions) && v.permissions.length === 0) {
    ctx.addIssue({ code: "custom", path: ["permissions"], message: "Choose at least one permission" });
  }
  if (typeof v.postbackUrl === "string" && v.postbackUrl !== "") {
    const url = postbackUrlSchema.safeParse(v.postbackUrl);
    if (!url.success) ctx.addIssue({ code: "custom", path: ["postbackUrl"], message: url.error.issues[0].message });
  }
  if (typeof v.dailySpendCap === "string" && v.dailySpendCap.trim() !== "") {
    const cap = dailySpendCapSchema.safeParse(v.dailySpendCap);
    if (!cap.success) ctx.addIssue({ code: "custom", path: ["dailySpendCap"], message: cap.error.issues[0].message });
  }
  if (typeof v.allowedCountries === "string") {
    const countries = allowedCountriesSchema.safeParse(splitCountries(v.allowedCountries));
    if (!countries.success) ctx.addIssue({ code: "custom", path: ["allowedCountries"], message: countries.error.issues[0].message });
  }
  if (v.expiry === "custom") {
    const date = parseDay(String(v.expiresOn));
    if (!date) ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Enter a date (YYYY-MM-DD)" });
    else if (date.getTime() <= Date.now()) {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Expiry must be in the future" });
    }
  }
}

/** "gb, FR de" → ["gb", "FR", "de"] (the service's schema upper-cases, checks, dedupes and sorts). */
export function splitCountries(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

const capOf = (text: string | undefined) => (text === undefined ? undefined : text.trim() === "" ? null : dailySpendCapSchema.parse(text));
const countriesOf = (text: string | undefined) => (text === undefined ? undefined : allowedCountriesSchema.parse(splitCountries(text)));

function parseDay(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

export function expiryDate(v: Pick<Fields, "expiry" | "expiresOn">, now = Date.now()): Date | null {
  if (v.expiry === "never") return null;
  if (v.expiry === "custom") return parseDay(v.expiresOn);
  return new Date(now + Number(v.expiry) * DAY_MS);
}

/** Cross-field rules run even when a field failed, so every message shows at once. */
const crossField = { when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null };

const common = (v: Fields) => ({
  name: v.name,
  permissions: (v.access === "full" ? [WILDCARD] : normalizePermissions(v.permissions)) as Permission[],
  offTheRecord: v.offTheRecord,
  postbackUrl: v.postbackUrl === "" ? null : v.postbackUrl,
  allowedCidrs: v.allowedCidrs.map((c) => c.value),
  expiresAt: expiryDate(v),
  ...(v.dailySpendCap === undefined ? {} : { dailySpendCap: capOf(v.dailySpendCap) }),
  ...(v.allowedCountries === undefined ? {} : { allowedCountries: countriesOf(v.allowedCountries) }),
});

export const createKeyFormSchema = fields
  .extend({ testMode: z.boolean(), hmac: z.boolean() })
  .superRefine(refineFields, crossField)
  .transform((v): CreateKeyInput => ({ ...common(v), mode: v.testMode ? "test" : "live", hmac: v.hmac }));
export type CreateKeyFormValues = z.input<typeof createKeyFormSchema>;

/** Editing: the same fields; mode and signing are fixed. An unchanged expiry stays as it was. */
export const editKeyFormSchema = fields
  .extend({ id: z.string(), expiry: z.enum([...EXPIRY_CHOICES, "keep"]) })
  .superRefine((v, ctx) => refineFields({ ...v, expiry: v.expiry === "keep" ? "never" : v.expiry }, ctx), crossField)
  .transform((v): { id: string; patch: UpdateKeyInput } => {
    const { expiresAt, ...rest } = common({ ...v, expiry: v.expiry === "keep" ? "never" : v.expiry });
    return { id: v.id, patch: v.expiry === "keep" ? rest : { ...rest, expiresAt } };
  });
export type EditKeyFormValues = z.input<typeof editKeyFormSchema>;

export const ROLL_GRACE_CHOICES = [
  { seconds: 0, label: "Now" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 86_400, label: "24 hours" },
  { seconds: 604_800, label: "7 days" },
] as const;

export const rollKeyFormSchema = z.object({
  id: z.string(),
  // A plain number: coercion would turn null or "" into 0 and cut the old secret off at once.
  graceSeconds: z
    .number({ error: "Choose how long the old key keeps working" })
    .refine((n) => ROLL_GRACE_CHOICES.some((c) => c.seconds === n), "Choose how long the old key keeps working"),
});
