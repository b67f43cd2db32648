/**
 * The Crown Dependencies' prices reach databases seeded before they were in the
 * seed list, through migration 0009 (hand-written SQL): an existing price list
 * gains exactly the seed's rows; an empty one is left to the seed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { prices } from "./schema";
import { seedPricesIfEmpty } from "./seed";
import { SEED_PRICES } from "./seed-data/prices";

const CROWN_DEPENDENCIES = ["GG", "JE", "IM"];
const MIGRATION = readFileSync(path.join(import.meta.dirname, "migrations", "0009_crown_dependency_prices.sql"), "utf8");

let t: TestDatabase;
beforeAll(async () => void (t = await createTestDatabase()));
afterAll(() => t.close());

const runMigration = () => t.database.query(MIGRATION);

/** The rows of these countries, as the seed list writes them. */
async function pricesOf(countries: string[]) {
  const rows = await t.db.select().from(prices).where(inArray(prices.country, countries));
  return rows
    .map((p) => ({
      mcc: p.mcc,
      mnc: p.mnc,
      dialcode: p.dialcode,
      country: p.country,
      countryName: p.countryName,
      network: p.network,
      rate: Number(p.rate),
      prevRate: Number(p.prevRate),
      rateStartDate: p.rateStartDate.toISOString().slice(0, 10),
      rateEndDate: p.rateEndDate,
      currency: p.currency,
    }))
    .sort((a, b) => (a.mcc + a.mnc).localeCompare(b.mcc + b.mnc));
}

const seedRowsOf = (countries: string[]) =>
  SEED_PRICES.filter((p) => countries.includes(p.country))
    .map((p) => ({ ...p, rate: Number(p.rate), prevRate: Number(p.prevRate), rateEndDate: null, currency: "EUR" }))
    .sort((a, b) => (a.mcc + a.mnc).localeCompare(b.mcc + b.mnc));

describe("migration 0009 (Crown Dependency prices)", () => {
  it("the seed list prices Guernsey, Jersey and the Isle of Man at the UK's country rate", () => {
    const ukRate = Math.max(...SEED_PRICES.filter((p) => p.country === "GB").map((p) => Number(p.rate)));
    for (const country of CROWN_DEPENDENCIES) {
      const rates = SEED_PRICES.filter((p) => p.country === country).map((p) => Number(p.rate));
      expect(rates.length, country).toBeGreaterThan(0);
      expect(Math.max(...rates), country).toBe(ukRate);
    }
  });

  it("adds exactly the seed list's rows to a price list seeded without them, and nothing else", async () => {
    await t.db.delete(prices).where(inArray(prices.country, CROWN_DEPENDENCIES));
    const [{ before }] = await t.db.select({ before: sql<number>`count(*)::int` }).from(prices);
    await runMigration();
    expect(await pricesOf(CROWN_DEPENDENCIES)).toEqual(seedRowsOf(CROWN_DEPENDENCIES));
    const [{ after }] = await t.db.select({ after: sql<number>`count(*)::int` }).from(prices);
    expect(after).toBe(before + seedRowsOf(CROWN_DEPENDENCIES).length);
  });

  it("keeps a network already listed as it is (an operator's own price stays)", async () => {
    await t.db
      .update(prices)
      .set({ rate: "0.05000" })
      .where(sql`${prices.mcc} = '234' and ${prices.mnc} = '58'`);
    await runMigration();
    const [manx] = await t.db
      .select()
      .from(prices)
      .where(sql`${prices.mcc} = '234' and ${prices.mnc} = '58'`);
    expect(Number(manx.rate)).toBe(0.05);
  });

  it("leaves an empty price list to the seed, which then writes the whole list once", async () => {
    await t.db.delete(prices);
    await runMigration();
    expect(await t.db.select().from(prices)).toEqual([]);
    await seedPricesIfEmpty(t.db);
    expect(await pricesOf(CROWN_DEPENDENCIES)).toEqual(seedRowsOf(CROWN_DEPENDENCIES));
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(prices);
    expect(n).toBe(SEED_PRICES.length);
  });
});
