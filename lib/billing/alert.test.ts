import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prices, workspaces } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { balanceState } from "./alert";

let t: TestDatabase;
let ws: number;
let cheapest: number;
beforeAll(async () => {
  t = await createTestDatabase();
  ws = t.seed.mainWorkspaceId;
  // The cheapest country's billing rate (its dearest network), as send.ts bills it.
  const rows = await t.db.select({ country: prices.country, rate: prices.rate }).from(prices);
  const byCountry = new Map<string, number>();
  for (const r of rows) byCountry.set(r.country, Math.max(byCountry.get(r.country) ?? 0, Number(r.rate)));
  cheapest = Math.min(...byCountry.values());
}, 60_000);
afterAll(() => t.close());

const set = (fields: Partial<typeof workspaces.$inferInsert>) => t.db.update(workspaces).set(fields).where(eq(workspaces.id, ws));

describe("balanceState: the dashboard's credit warning", () => {
  it("is neither low nor blocked without an alert and with money left", async () => {
    await set({ balance: "100.00000", lowBalanceThreshold: null });
    expect(await balanceState(t.db, ws)).toMatchObject({
      balance: 100,
      threshold: null,
      low: false,
      blocked: false,
      cheapestMessage: cheapest,
    });
  });

  it("is low at or below the alert threshold, not above it", async () => {
    await set({ balance: "50.00000", lowBalanceThreshold: "50.00000" });
    expect(await balanceState(t.db, ws)).toMatchObject({ threshold: 50, low: true, blocked: false });
    await set({ balance: "50.00001" });
    expect((await balanceState(t.db, ws)).low).toBe(false);
  });

  it("is blocked when the balance is used up or cannot pay the cheapest single message", async () => {
    await set({ balance: "0.00000", lowBalanceThreshold: null });
    expect(await balanceState(t.db, ws)).toMatchObject({ balance: 0, low: false, blocked: true });
    await set({ balance: "-1.50000" });
    expect((await balanceState(t.db, ws)).blocked).toBe(true);
    const justBelow = (Math.round(cheapest * 100_000) - 1) / 100_000;
    await set({ balance: justBelow.toFixed(5) });
    expect((await balanceState(t.db, ws)).blocked).toBe(true);
    await set({ balance: cheapest.toFixed(5) });
    expect((await balanceState(t.db, ws)).blocked).toBe(false);
  });

  it("leaves out the countries the workspace blocks when finding the cheapest message", async () => {
    const rows = await t.db.select({ country: prices.country, rate: prices.rate }).from(prices);
    const byCountry = new Map<string, number>();
    for (const r of rows) byCountry.set(r.country, Math.max(byCountry.get(r.country) ?? 0, Number(r.rate)));
    const sorted = [...byCountry.entries()].sort((a, b) => a[1] - b[1]);
    const [cheapestCountry] = sorted[0];
    const next = sorted.find(([, rate]) => rate > sorted[0][1]);
    expect(next).toBeDefined();
    const blockedCountries = sorted.filter(([, rate]) => rate === sorted[0][1]).map(([c]) => c);
    expect(blockedCountries).toContain(cheapestCountry);
    await set({ balance: sorted[0][1].toFixed(5), blockedCountries });
    expect(await balanceState(t.db, ws)).toMatchObject({ cheapestMessage: next![1], blocked: true });
    await set({ blockedCountries: [] });
  });
});
