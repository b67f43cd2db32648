import { prices } from "@/db/schema";
import type { Db } from "@/db";
import { toUnits } from "@/lib/billing/money";

/**
 * What one segment costs per destination. The number alone does not tell the
 * network (number portability), so a message is billed at its country's rate,
 * which is the highest rate among that country's networks: never below cost.
 * A country without a price cannot be sent to (config_error).
 */
export type PriceTable = {
  countryRate(country: string | null): bigint | null;
  /** The networks the price list has for a country (empty when it has none). */
  countryNetworks(country: string | null): readonly string[];
};

const TTL_MS = 60_000;
const globalForPrices = globalThis as unknown as { __prices?: WeakMap<Db, { at: number; table: Promise<PriceTable> }> };

export async function loadPriceTable(db: Db): Promise<PriceTable> {
  const rows = await db.select({ country: prices.country, rate: prices.rate, network: prices.network }).from(prices);
  const byCountry = new Map<string, bigint>();
  const networks = new Map<string, string[]>();
  for (const row of rows) {
    const rate = toUnits(row.rate);
    const current = byCountry.get(row.country);
    if (current === undefined || rate > current) byCountry.set(row.country, rate);
    networks.set(row.country, [...(networks.get(row.country) ?? []), row.network]);
  }
  return {
    countryRate: (country) => (country ? (byCountry.get(country) ?? null) : null),
    countryNetworks: (country) => (country ? (networks.get(country) ?? []) : []),
  };
}

/** The price table, reloaded at most once a minute per database (prices change rarely). */
export function priceTable(db: Db, now = Date.now()): Promise<PriceTable> {
  const cache = (globalForPrices.__prices ??= new WeakMap());
  const hit = cache.get(db);
  if (hit && now - hit.at < TTL_MS) return hit.table;
  const table = loadPriceTable(db);
  cache.set(db, { at: now, table });
  table.catch(() => cache.delete(db));
  return table;
}
