import { z } from "zod";
import { payments, priceList, SANDBOX_BALANCE, sandboxBalance, workspaceBalance } from "@/lib/account/queries";
import { operation } from "../operation";

const AUTH_ERRORS = [
  "UNAUTHORIZED",
  "INVALID_API_KEY",
  "API_KEY_INACTIVE",
  "API_KEY_EXPIRED",
  "IP_NOT_ALLOWED",
  "SIGNATURE_REQUIRED",
  "INVALID_SIGNATURE",
  "FORBIDDEN",
  "RATE_LIMIT_EXCEEDED",
  "TOO_MANY_ATTEMPTS",
  "INTERNAL_ERROR",
] as const;
export const GUARD_ERRORS = [...AUTH_ERRORS];

const dotted = z
  .string()
  .regex(/^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}$/)
  .meta({ example: "2026.02.13 10:15:00" });

export const balanceSchema = z
  .object({
    balance: z.number().meta({ example: 1250.5 }),
    currency: z.string().meta({ example: "EUR" }),
    updated: dotted,
    credit_blocked: z.literal(true).optional().meta({ description: "Present when the balance is ≤ 0: live sends are refused with 402." }),
    sandbox: z
      .literal(true)
      .optional()
      .meta({
        description: `Present for a test key: test sends never touch the balance, so it sees a fixed ${SANDBOX_BALANCE}, never the live balance.`,
      }),
  })
  .meta({ id: "Balance" });

export const priceSchema = z
  .object({
    mcc: z.string(),
    mnc: z.string(),
    mccmnc: z.string(),
    dialcode: z.string(),
    country: z.string().meta({ description: "ISO 3166 alpha-2" }),
    network: z.string(),
    rate: z.number(),
    prev_rate: z.number(),
    rate_start_date: dotted,
    rate_end_date: dotted.meta({ description: "2100.01.01 00:00:00 means open-ended" }),
    change_type: z.enum(["Same", "Increase", "Decrease"]),
  })
  .meta({ id: "Price" });

export const paymentSchema = z
  .object({
    id: z.string().meta({ example: "portal_P12" }),
    amount: z.number(),
    currency: z.string(),
    date: z.iso.datetime(),
    type: z.enum(["deposit", "usage", "adjustment"]),
    description: z.string(),
    source: z.enum(["portal", "api", "system"]),
  })
  .meta({ id: "Payment" });

const priceListSchema = z.array(priceSchema);

// GET /user/balance — the workspace's balance (a fixed sandbox figure for a test key)
export const getBalance = operation(
  {
    method: "GET",
    path: "/user/balance",
    tag: "Account",
    summary: "Get the balance",
    description: `A test key gets a fixed sandbox balance (${SANDBOX_BALANCE}, with \`"sandbox": true\`), never the live one.`,
    permission: "balance.read",
    response: balanceSchema,
    errors: GUARD_ERRORS,
  },
  async ({ runtime, workspace, key }) =>
    key.mode === "test" ? sandboxBalance(runtime.db, workspace.id) : workspaceBalance(runtime.db, workspace.id),
);

// GET /user/pricing — the price list per network
export const getPricing = operation(
  {
    method: "GET",
    path: "/user/pricing",
    tag: "Account",
    summary: "Get the price list",
    permission: "pricing.read",
    response: priceListSchema,
    errors: GUARD_ERRORS,
  },
  async ({ runtime }) => priceList(runtime.db),
);

// POST /user/pricing — the same price list (the body is ignored, for compatibility)
export const postPricing = operation(
  {
    method: "POST",
    path: "/user/pricing",
    tag: "Account",
    summary: "Get the price list (POST; body ignored)",
    permission: "pricing.read",
    response: priceListSchema,
    // The body is ignored, but read (at most 64 KiB) for an HMAC key's signature.
    errors: [...GUARD_ERRORS, "PAYLOAD_TOO_LARGE"],
  },
  async ({ runtime }) => priceList(runtime.db),
);

// GET /user/payments — deposits, usage and adjustments, newest first (none for a test key)
export const getPayments = operation(
  {
    method: "GET",
    path: "/user/payments",
    tag: "Account",
    summary: "List payments (the latest 1,000, newest first)",
    description: "A test key gets an empty list: test mode has no payments, and never sees the live ones.",
    permission: "payments.read",
    response: z.array(paymentSchema),
    errors: GUARD_ERRORS,
  },
  async ({ runtime, workspace, key }) => (key.mode === "test" ? [] : payments(runtime.db, workspace.id)),
);
