import { z } from "zod";

/**
 * The Billing page's forms. The browser validates with these schemas and the
 * server actions parse with the very same ones, so a message shown by a field is
 * the message the server would give.
 */

/** The most one portal top-up may add (a typo guard: 1000000 instead of 100.00). */
export const TOP_UP_MAX = 100_000;
/** The highest low balance alert that can be set. */
export const ALERT_MAX = 1_000_000;

/**
 * An amount typed by a person: digits with at most 2 decimals ("1,5" and "1,000"
 * are refused: in half of Europe the comma is the decimal mark), normalised to a
 * plain decimal string with 2 decimals ("12.5" → "12.50").
 */
function checkAmount(value: string, ctx: z.RefinementCtx, opts: { min: number; minInclusive: boolean; minMessage: string; max: number }) {
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  if (value === "") return fail("Enter an amount");
  if (!/^\d+(?:\.\d+)?$/.test(value)) return fail("Enter a number, such as 50 or 12.50");
  const [whole, fraction = ""] = value.split(".");
  if (fraction.length > 2) return fail("Use at most 2 decimals");
  const number = Number(value);
  if (opts.minInclusive ? number < opts.min : number <= opts.min) return fail(opts.minMessage);
  if (number > opts.max) return fail(`At most ${opts.max.toLocaleString("en-GB")}`);
  return `${BigInt(whole)}.${fraction.padEnd(2, "0")}`;
}

const TOP_UP_AMOUNT = { min: 0, minInclusive: false, minMessage: "Enter an amount above 0", max: TOP_UP_MAX };
const ALERT_AMOUNT = { min: 0, minInclusive: true, minMessage: "Enter 0 or more", max: ALERT_MAX };

const workspaceIdField = z.number({ error: "Workspace not found" }).int().positive();

export const topUpSchema = z.object({
  /** The workspace the dialog was opened for: switching workspace in another tab never redirects the money. */
  workspaceId: workspaceIdField,
  amount: z
    .string({ error: "Enter an amount" })
    .trim()
    .transform((value, ctx) => checkAmount(value, ctx, TOP_UP_AMOUNT)),
  /** Made when the dialog opens: a double submit of one form adds funds once. */
  idempotencyKey: z.uuid({ error: "Close the dialog and open it again" }),
});
export type TopUpValues = z.input<typeof topUpSchema>;
export type TopUpInput = z.output<typeof topUpSchema>;

export const lowBalanceAlertSchema = z.object({
  workspaceId: workspaceIdField,
  /** Empty: no alert. */
  threshold: z
    .string({ error: "Enter an amount" })
    .trim()
    .transform((value, ctx) => (value === "" ? null : checkAmount(value, ctx, ALERT_AMOUNT))),
});
export type LowBalanceAlertValues = z.input<typeof lowBalanceAlertSchema>;
export type LowBalanceAlertInput = z.output<typeof lowBalanceAlertSchema>;
