/**
 * The credit warning of the Dashboard (and the Billing page): how the balance
 * stands against the workspace's low balance alert and against what a send costs.
 *
 *   low     = an alert threshold is set and the balance is at or below it
 *   blocked = live sends are refused (POST /sms/send answers INSUFFICIENT_BALANCE):
 *             the balance is used up (≤ 0, the API's `credit_blocked`), or it is
 *             below the cheapest single message — one segment to the cheapest
 *             country the workspace may send to (a country is billed at its
 *             dearest network's rate, as lib/sms/pricing.ts bills it)
 *
 * Money is compared exactly, in units of the money scale (lib/billing/money.ts).
 */
import { eq, max, min, notInArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { prices, workspaces } from "@/db/schema";
import { toUnits, unitsToNumber } from "./money";

export type BalanceState = {
  balance: number;
  currency: string;
  /** The low balance alert (null: none set). */
  threshold: number | null;
  /** The cheapest single message the workspace could send now (null: no destination has a price). */
  cheapestMessage: number | null;
  low: boolean;
  blocked: boolean;
};

export async function balanceState(db: Db, workspaceId: number): Promise<BalanceState> {
  const [workspace] = await db
    .select({
      balance: workspaces.balance,
      currency: workspaces.currency,
      threshold: workspaces.lowBalanceThreshold,
      blocked: workspaces.blockedCountries,
    })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!workspace) throw new Error(`no workspace ${workspaceId}`);

  // Per country, its billing rate (the dearest network); then the cheapest such country.
  const perCountry = db
    .select({ rate: max(prices.rate).as("rate") })
    .from(prices)
    .where(workspace.blocked.length > 0 ? notInArray(prices.country, workspace.blocked) : sql`true`)
    .groupBy(prices.country)
    .as("per_country");
  const [{ cheapest }] = await db.select({ cheapest: min(perCountry.rate) }).from(perCountry);

  const balance = toUnits(workspace.balance);
  const threshold = workspace.threshold === null ? null : toUnits(workspace.threshold);
  const cheapestMessage = cheapest === null ? null : toUnits(cheapest);
  return {
    balance: unitsToNumber(balance),
    currency: workspace.currency,
    threshold: threshold === null ? null : unitsToNumber(threshold),
    cheapestMessage: cheapestMessage === null ? null : unitsToNumber(cheapestMessage),
    low: threshold !== null && balance <= threshold,
    blocked: balance <= 0n || (cheapestMessage !== null && balance < cheapestMessage),
  };
}
