import { and, count, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { CHANGE_TYPES, ledgerEntries, prices, users, workspaces } from "@/db/schema";
import { toUnits, unitsToNumber } from "./money";

// The Billing page's reads. Each is scoped to the workspace it is given, which
// the caller has already authorized (the page's portal context).

export const PAYMENTS_PAGE_SIZE = 25;

const ID_PREFIX = { portal: "portal_P", api: "api_U", system: "system_S" } as const;

export type PaymentRow = {
  /** As GET /user/payments names it. */
  id: string;
  amount: number;
  currency: string;
  /** ISO 8601. */
  date: string;
  type: (typeof ledgerEntries.$inferSelect)["type"];
  description: string;
  source: (typeof ledgerEntries.$inferSelect)["source"];
  /** Who made a portal top-up (null for API usage and system entries, or a member since deleted). */
  actor: string | null;
};

export type PaymentPage = { rows: PaymentRow[]; page: number; pageSize: number; total: number; pageCount: number };

/**
 * The workspace's ledger — the data of GET /user/payments, with the name of the
 * member who made each portal top-up — newest first, one page at a time in the
 * database (a busy workspace has a usage entry per send). A page past the end
 * shows the last page.
 */
export async function paymentPage(db: Db, workspaceId: number, requestedPage: number): Promise<PaymentPage> {
  const [{ total }] = await db.select({ total: count() }).from(ledgerEntries).where(eq(ledgerEntries.workspaceId, workspaceId));
  const pageCount = Math.max(1, Math.ceil(total / PAYMENTS_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount);
  const rows = await db
    .select({ entry: ledgerEntries, actor: users.name })
    .from(ledgerEntries)
    .leftJoin(users, eq(users.id, ledgerEntries.actorUserId))
    .where(eq(ledgerEntries.workspaceId, workspaceId))
    .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .limit(PAYMENTS_PAGE_SIZE)
    .offset((page - 1) * PAYMENTS_PAGE_SIZE);
  return {
    rows: rows.map(({ entry: e, actor }) => ({
      id: `${ID_PREFIX[e.source]}${e.id}`,
      amount: unitsToNumber(toUnits(e.amount)),
      currency: e.currency,
      date: e.createdAt.toISOString(),
      type: e.type,
      description: e.description,
      source: e.source,
      actor,
    })),
    page,
    pageSize: PAYMENTS_PAGE_SIZE,
    total,
    pageCount,
  };
}

export type PriceRow = {
  id: number;
  country: string;
  countryName: string;
  network: string;
  mccmnc: string;
  dialcode: string;
  rate: number;
  previousRate: number;
  changeType: (typeof CHANGE_TYPES)[number];
  /** ISO 8601: when the current rate took effect. */
  effectiveFrom: string;
  /** ISO 8601, or null: open-ended. */
  effectiveUntil: string | null;
  currency: string;
};

/**
 * The whole price list (a rate per network; ~150 rows, so the page searches and
 * pages it in the browser), with the rate-change fields: the previous rate, its
 * direction, and the date the current rate took effect.
 */
export async function priceTable(db: Db): Promise<PriceRow[]> {
  const rows = await db.select().from(prices).orderBy(prices.countryName, prices.network, prices.mcc, prices.mnc);
  return rows.map((p) => {
    const rate = toUnits(p.rate);
    const previous = toUnits(p.prevRate);
    return {
      id: p.id,
      country: p.country,
      countryName: p.countryName,
      network: p.network,
      mccmnc: p.mcc + p.mnc,
      dialcode: p.dialcode,
      rate: unitsToNumber(rate),
      previousRate: unitsToNumber(previous),
      changeType: rate > previous ? "Increase" : rate < previous ? "Decrease" : "Same",
      effectiveFrom: p.rateStartDate.toISOString(),
      effectiveUntil: p.rateEndDate ? p.rateEndDate.toISOString() : null,
      currency: p.currency,
    };
  });
}

/** The balance card and the alert of the Billing page: the balance, when it last moved, and the low balance alert (null: none set). */
export async function billingSummary(db: Db, workspaceId: number, organizationId: number) {
  const [row] = await db
    .select({
      balance: workspaces.balance,
      currency: workspaces.currency,
      updatedAt: workspaces.balanceUpdatedAt,
      threshold: workspaces.lowBalanceThreshold,
    })
    .from(workspaces)
    .where(and(eq(workspaces.id, workspaceId), eq(workspaces.organizationId, organizationId)));
  if (!row) return null;
  return {
    balance: unitsToNumber(toUnits(row.balance)),
    currency: row.currency,
    updatedAt: row.updatedAt.toISOString(),
    threshold: row.threshold === null ? null : unitsToNumber(toUnits(row.threshold)),
  };
}
