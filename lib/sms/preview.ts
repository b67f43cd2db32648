import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { workspaces } from "@/db/schema";
import { toUnits, unitsToNumber } from "@/lib/billing/money";
import type { VerifiedKey } from "@/lib/keys/verify";
import { countSegments, MAX_SEGMENTS, type Encoding } from "./encoding";
import { nonGsmCharacters, rewriteLookalikes } from "./gsm-rewrite";
import { priceTable, type PriceTable } from "./pricing";
import { isBlocked } from "./send";
import type { SendBody } from "./send-input";

/** What a recipient would get: the send's per-recipient result, without sending (docs/api-v1.md §3, preview). */
export type PreviewStatus = "accepted" | "blocked_country" | "config_error";

export type PreviewRecipient = {
  dnis: string;
  country: string | null;
  /** The network, when the number's country has only one in the price list (the number alone does not tell: portability). */
  network: string | null;
  status: PreviewStatus;
  price_per_segment: number | null;
  segments: number;
  encoding: Encoding;
  cost: number;
};

export type PreviewCost = { encoding: Encoding; segments: number; characters: number; total_cost: number };

export type Preview = {
  status: true;
  preview: true;
  recipients: PreviewRecipient[];
  summary: PreviewCost & {
    total_recipients: number;
    billable_recipients: number;
    currency: string;
    balance: number;
    /** Whether the balance covers the send now (always true for a test key: the sandbox bills nothing). */
    balance_covers: boolean;
    sandbox: boolean;
  };
  /** Characters that forced UCS-2 (empty for a GSM-7 message), with their code-point positions. */
  ucs2_characters: { character: string; code_point: string; position: number; replacement: string | null }[];
  /** The message with look-alikes replaced, and what it would cost then; null when there is nothing to replace. */
  gsm7_rewrite: (PreviewCost & { message: string; replaced: number; saving: number; fits: boolean }) | null;
};

function costOf(prices: PriceTable, blocked: ReadonlySet<string>, allowed: readonly string[], input: SendBody, segments: number) {
  let total = 0n;
  for (const r of input.to) {
    if (isBlocked(blocked, allowed, r.country)) continue;
    const rate = prices.countryRate(r.country);
    if (rate !== null) total += rate * BigInt(segments);
  }
  return total;
}

/**
 * POST /sms/preview: what POST /sms/send would do with this body — per
 * recipient and in total: country, network when known, price, segments,
 * encoding — without storing, debiting or sending anything. When the text
 * falls to UCS-2, names the characters that forced it and prices the GSM-7
 * rewrite that replaces look-alikes (lib/sms/gsm-rewrite.ts).
 */
export async function previewSend(
  db: Db,
  key: Pick<VerifiedKey, "workspaceId" | "mode" | "allowedCountries">,
  input: SendBody,
): Promise<Preview> {
  const [workspace] = await db
    .select({ currency: workspaces.currency, blocked: workspaces.blockedCountries, balance: workspaces.balance })
    .from(workspaces)
    .where(eq(workspaces.id, key.workspaceId));
  const prices = await priceTable(db);
  const blocked = new Set(workspace.blocked);
  const characters = Array.from(input.message).length;

  const recipients: PreviewRecipient[] = input.to.map((r) => {
    const networks = prices.countryNetworks(r.country);
    const base = { dnis: r.e164, country: r.country, network: networks.length === 1 ? networks[0] : null, segments: input.segments };
    if (isBlocked(blocked, key.allowedCountries, r.country)) {
      return { ...base, status: "blocked_country", price_per_segment: null, encoding: input.encoding, cost: 0 };
    }
    const rate = prices.countryRate(r.country);
    if (rate === null) return { ...base, status: "config_error", price_per_segment: null, encoding: input.encoding, cost: 0 };
    return {
      ...base,
      status: "accepted",
      price_per_segment: unitsToNumber(rate),
      encoding: input.encoding,
      cost: unitsToNumber(rate * BigInt(input.segments)),
    };
  });
  const total = costOf(prices, blocked, key.allowedCountries, input, input.segments);
  const live = key.mode === "live";
  const balance = toUnits(workspace.balance);

  const nonGsm = input.encoding === "UCS-2" ? nonGsmCharacters(input.message) : [];
  let rewrite: Preview["gsm7_rewrite"] = null;
  const replaced = nonGsm.filter((c) => c.replacement !== null).length;
  if (replaced > 0) {
    const message = rewriteLookalikes(input.message);
    const info = countSegments(message);
    const rewriteTotal = costOf(prices, blocked, key.allowedCountries, input, info.segments);
    rewrite = {
      message,
      replaced,
      encoding: info.encoding,
      segments: info.segments,
      characters: Array.from(message).length,
      total_cost: unitsToNumber(rewriteTotal),
      saving: unitsToNumber(total - rewriteTotal),
      fits: info.segments <= MAX_SEGMENTS,
    };
  }

  return {
    status: true,
    preview: true,
    recipients,
    summary: {
      total_recipients: recipients.length,
      billable_recipients: recipients.filter((r) => r.status === "accepted").length,
      encoding: input.encoding,
      segments: input.segments,
      characters,
      total_cost: unitsToNumber(total),
      currency: workspace.currency,
      balance: unitsToNumber(balance),
      balance_covers: !live || (balance > 0n && balance >= total),
      sandbox: !live,
    },
    ucs2_characters: nonGsm.map((c) => ({
      character: c.character,
      code_point: c.codePoint,
      position: c.position,
      replacement: c.replacement,
    })),
    gsm7_rewrite: rewrite,
  };
}
