/**
 * The account endpoints (docs/api-v1.md §4): balance, pricing (GET and POST) and
 * payments, in the shapes existing clients of the API we follow expect.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import * as paymentsRoute from "@/app/api/v1/user/payments/route";
import * as pricingRoute from "@/app/api/v1/user/pricing/route";
import { ledgerEntries, prices, workspaces } from "@/db/schema";
import { callApi, makeKey, randomAddress, startRuntime } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;
let mainKey: string;
let stagingKey: string;

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  mainKey = (await makeKey(t)).secret;
  stagingKey = (await makeKey(t, {}, t.seed.stagingWorkspaceId)).secret;
});

afterAll(async () => {
  await runtime?.close();
  await t?.close();
});

const DOTTED = /^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}$/;
const OPEN_ENDED = "2100.01.01 00:00:00";
const get = (handler: typeof balanceRoute.GET, path: string, key = mainKey) => callApi(handler, { path, key, address: randomAddress() });

describe("GET /user/balance", () => {
  it("answers {balance, currency, updated} with the dotted date, and no credit_blocked while positive", async () => {
    const res = await get(balanceRoute.GET, "/api/v1/user/balance");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ balance: 250, currency: "EUR", updated: expect.stringMatching(DOTTED) });
  });

  it("answers the balance of the key's workspace", async () => {
    const res = await get(balanceRoute.GET, "/api/v1/user/balance", stagingKey);
    expect(res.body).toMatchObject({ balance: 25, currency: "EUR" });
  });

  it("adds credit_blocked: true when the balance is zero or below", async () => {
    const staging = eq(workspaces.id, t.seed.stagingWorkspaceId);
    const updated = new Date("2026-02-13T10:15:00Z");
    try {
      for (const amount of ["0", "-1.5"]) {
        await t.db.update(workspaces).set({ balance: amount, balanceUpdatedAt: updated }).where(staging);
        const res = await get(balanceRoute.GET, "/api/v1/user/balance", stagingKey);
        expect(res.body).toEqual({ balance: Number(amount), currency: "EUR", updated: "2026.02.13 10:15:00", credit_blocked: true });
      }
    } finally {
      await t.db.update(workspaces).set({ balance: "25" }).where(staging);
    }
  });

  it("keeps fractional amounts exact", async () => {
    const staging = eq(workspaces.id, t.seed.stagingWorkspaceId);
    try {
      await t.db.update(workspaces).set({ balance: "1250.5000" }).where(staging);
      expect((await get(balanceRoute.GET, "/api/v1/user/balance", stagingKey)).body.balance).toBe(1250.5);
    } finally {
      await t.db.update(workspaces).set({ balance: "25" }).where(staging);
    }
  });
});

describe("GET and POST /user/pricing", () => {
  const PRICE_FIELDS = [
    "mcc",
    "mnc",
    "mccmnc",
    "dialcode",
    "country",
    "network",
    "rate",
    "prev_rate",
    "rate_start_date",
    "rate_end_date",
    "change_type",
  ].sort();

  it("answers the same price list to GET and to POST (whose body is ignored)", async () => {
    const viaGet = await get(pricingRoute.GET, "/api/v1/user/pricing");
    const viaPost = await callApi(pricingRoute.POST, {
      method: "POST",
      path: "/api/v1/user/pricing",
      key: mainKey,
      body: { country: "GB" },
      address: randomAddress(),
    });
    const viaEmptyPost = await callApi(pricingRoute.POST, {
      method: "POST",
      path: "/api/v1/user/pricing",
      key: mainKey,
      address: randomAddress(),
    });
    expect(viaGet.status).toBe(200);
    expect(viaPost.status).toBe(200);
    expect(Array.isArray(viaGet.body)).toBe(true);
    expect(viaPost.body).toEqual(viaGet.body);
    expect(viaEmptyPost.body).toEqual(viaGet.body);
  });

  it("covers at least 25 countries, one row per network of the price table", async () => {
    const list = (await get(pricingRoute.GET, "/api/v1/user/pricing")).body as Array<Record<string, unknown>>;
    expect(new Set(list.map((p) => p.country)).size).toBeGreaterThanOrEqual(25);
    const rows = await t.db.select().from(prices);
    expect(list).toHaveLength(rows.length);
  });

  it("gives every row every field, typed, with consistent change_type and dotted, open-ended dates", async () => {
    const list = (await get(pricingRoute.GET, "/api/v1/user/pricing")).body as Array<Record<string, unknown>>;
    for (const p of list) {
      expect(Object.keys(p).sort()).toEqual(PRICE_FIELDS);
      expect(p).toMatchObject({
        mcc: expect.stringMatching(/^\d{3}$/),
        mnc: expect.stringMatching(/^\d{2,3}$/),
        dialcode: expect.stringMatching(/^\d{1,4}$/),
        country: expect.stringMatching(/^[A-Z]{2}$/),
        network: expect.any(String),
        rate: expect.any(Number),
        prev_rate: expect.any(Number),
        rate_start_date: expect.stringMatching(DOTTED),
        rate_end_date: expect.stringMatching(DOTTED),
      });
      expect(p.mccmnc).toBe(`${p.mcc}${p.mnc}`);
      const rate = p.rate as number;
      const prev = p.prev_rate as number;
      expect(p.change_type).toBe(rate > prev ? "Increase" : rate < prev ? "Decrease" : "Same");
    }
    expect(new Set(list.map((p) => p.change_type))).toEqual(new Set(["Same", "Increase", "Decrease"]));
    expect(list.some((p) => p.rate_end_date === OPEN_ENDED)).toBe(true);
  });

  it("writes a closed rate period's end date in the dotted format", async () => {
    const [row] = await t.db.select().from(prices).limit(1);
    await t.db
      .update(prices)
      .set({ rateEndDate: new Date("2027-03-31T23:59:59Z") })
      .where(eq(prices.id, row.id));
    try {
      const list = (await get(pricingRoute.GET, "/api/v1/user/pricing")).body as Array<Record<string, unknown>>;
      const changed = list.find((p) => p.mcc === row.mcc && p.mnc === row.mnc)!;
      expect(changed.rate_end_date).toBe("2027.03.31 23:59:59");
    } finally {
      await t.db.update(prices).set({ rateEndDate: null }).where(eq(prices.id, row.id));
    }
  });
});

describe("GET /user/payments", () => {
  type Payment = { id: string; amount: number; currency: string; date: string; type: string; description: string; source: string };

  it("lists the ledger newest first, with portal_P<n> ids and documented types", async () => {
    const res = await get(paymentsRoute.GET, "/api/v1/user/payments");
    expect(res.status).toBe(200);
    const list = res.body as Payment[];
    expect(list.length).toBe(3);
    for (const p of list) {
      expect(Object.keys(p).sort()).toEqual(["amount", "currency", "date", "description", "id", "source", "type"]);
      expect(p.id).toMatch(/^portal_P\d+$/);
      expect(["deposit", "usage", "adjustment"]).toContain(p.type);
      expect(p.currency).toBe("EUR");
      expect(new Date(p.date).toISOString()).toBe(p.date);
    }
    const dates = list.map((p) => Date.parse(p.date));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it("adds up to the balance (balance = Σ amount)", async () => {
    const list = (await get(paymentsRoute.GET, "/api/v1/user/payments")).body as Payment[];
    const balance = (await get(balanceRoute.GET, "/api/v1/user/balance")).body.balance;
    expect(list.reduce((sum, p) => sum + p.amount, 0)).toBeCloseTo(balance, 4);
    expect(balance).toBe(250);
  });

  it("lists only the key's own workspace's entries", async () => {
    const list = (await get(paymentsRoute.GET, "/api/v1/user/payments", stagingKey)).body as Payment[];
    const rows = await t.db
      .select({ id: ledgerEntries.id })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.workspaceId, t.seed.stagingWorkspaceId));
    expect(list.map((p) => p.id).sort()).toEqual(rows.map((r) => `portal_P${r.id}`).sort());
    expect(list.reduce((sum, p) => sum + p.amount, 0)).toBe(25);
  });
});
