/**
 * (ours) A key's daily spend cap and allowed countries through the keys API
 * (docs/api-v1.md §7 "Spend and destination limits"): set on create and PATCH,
 * shown on every key object, audited as key.update with before/after, and — like
 * the other restrictions — a floor for a key acting through the API: it may
 * lower its own cap and narrow its own countries, never raise, remove or widen
 * them (403 FORBIDDEN), nor hand a key it creates or edits more than it has.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import { apiKeys, auditEvents } from "@/db/schema";
import { callApi, expectApiError, makeKey, randomAddress, setupApi, teardownApi, type Handler } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;

beforeAll(async () => {
  ({ t, runtime } = await setupApi());
});

afterAll(async () => {
  await teardownApi({ t, runtime });
});

const unique = (label: string) => `${label} ${randomBytes(4).toString("hex")}`;

function call(handler: Handler, method: string, path: string, secret: string, body?: object, params?: Record<string, string>) {
  return callApi(handler, { method, path: `/api/v1${path}`, key: secret, body, params, address: randomAddress() });
}
const api = {
  create: (secret: string, body: object) => call(keysRoute.POST, "POST", "/keys", secret, body),
  patch: (secret: string, id: string, body: object) => call(keyRoute.PATCH, "PATCH", `/keys/${id}`, secret, body, { id }),
  get: (secret: string, id: string) => call(keyRoute.GET, "GET", `/keys/${id}`, secret, undefined, { id }),
};

const rowOf = async (id: string) => (await t.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];

/** A keys.write key capped at 50 a day and limited to GB, FR and DE, made by the owner. */
async function limitedKey() {
  const made = await makeKey(t, {
    name: unique("limited"),
    permissions: ["keys.write", "keys.read", "sms.send"],
    dailySpendCap: "50.00000",
    allowedCountries: ["DE", "FR", "GB"],
  });
  return { id: made.key.id, secret: made.secret };
}

describe("setting the limits", () => {
  it("creates a key with a cap and countries (any case, deduplicated, sorted) and shows them on the key", async () => {
    const owner = await makeKey(t, { name: unique("owner's"), permissions: ["*"] });
    const res = await api.create(owner.secret, {
      name: unique("capped"),
      permissions: ["sms.send"],
      daily_spend_cap: 12.5,
      allowed_countries: ["gb", "FR", "GB"],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ daily_spend_cap: 12.5, allowed_countries: ["FR", "GB"] });
    expect((await api.get(owner.secret, res.body.id)).body).toMatchObject({ daily_spend_cap: 12.5, allowed_countries: ["FR", "GB"] });
    const row = await rowOf(res.body.id);
    expect({ cap: row.dailySpendCap, countries: row.allowedCountries }).toEqual({ cap: "12.50000", countries: ["FR", "GB"] });
  });

  it("answers an unlimited key with daily_spend_cap null and allowed_countries []", async () => {
    const owner = await makeKey(t, { name: unique("open"), permissions: ["*"] });
    expect((await api.get(owner.secret, owner.key.id)).body).toMatchObject({ daily_spend_cap: null, allowed_countries: [] });
  });

  it("refuses a negative cap, one of more than 5 decimals, a string, and an unknown country (400 INVALID_BODY)", async () => {
    const owner = await makeKey(t, { name: unique("owner's"), permissions: ["*"] });
    for (const over of [
      { daily_spend_cap: -1 },
      { daily_spend_cap: 1.123456 },
      { daily_spend_cap: "10" },
      { daily_spend_cap: 2_000_000_000 },
      { allowed_countries: ["XX"] },
      { allowed_countries: ["GBR"] },
      { allowed_countries: "GB" },
    ]) {
      const res = await api.create(owner.secret, { name: unique("bad"), permissions: ["sms.send"], ...over });
      expect({ over, status: res.status, code: res.body.error_code }).toEqual({ over, status: 400, code: "INVALID_BODY" });
      expect((await api.patch(owner.secret, owner.key.id, over)).status).toBe(400);
    }
  });

  it("audits a change of the limits as one key.update with before and after", async () => {
    const owner = await makeKey(t, { name: unique("owner's"), permissions: ["*"] });
    const target = await makeKey(t, { name: unique("target"), permissions: ["sms.send"] });
    const res = await api.patch(owner.secret, target.key.id, { daily_spend_cap: 20, allowed_countries: ["GB"] });
    expect(res.status).toBe(200);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, target.key.id), eq(auditEvents.action, "key.update")));
    expect(events).toHaveLength(1);
    expect(events[0].changes).toEqual({
      dailySpendCap: { before: null, after: "20.00000" },
      allowedCountries: { before: [], after: ["GB"] },
    });
    expect(events[0].actorKeyId).toBe(owner.key.id);
  });
});

describe("a key cannot raise its own cap or widen its own countries", () => {
  it("refuses a higher cap, no cap, no country limit and a country outside its own (403 FORBIDDEN), and changes nothing", async () => {
    const self = await limitedKey();
    const before = await rowOf(self.id);
    for (const body of [
      { daily_spend_cap: 50.00001 },
      { daily_spend_cap: null },
      { allowed_countries: [] },
      { allowed_countries: ["GB", "US"] },
    ]) {
      const res = await api.patch(self.secret, self.id, body);
      expectApiError(res, 403, "FORBIDDEN");
      expect(res.body.description).toMatch(/fewer restrictions than its own/);
    }
    const after = await rowOf(self.id);
    expect({ cap: after.dailySpendCap, countries: after.allowedCountries }).toEqual({
      cap: before.dailySpendCap,
      countries: before.allowedCountries,
    });
  });

  it("lets a key tighten itself: a lower cap, fewer countries", async () => {
    const self = await limitedKey();
    const res = await api.patch(self.secret, self.id, { daily_spend_cap: 10, allowed_countries: ["GB"] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ daily_spend_cap: 10, allowed_countries: ["GB"] });
    // …and then cannot go back up to where it was.
    expectApiError(await api.patch(self.secret, self.id, { daily_spend_cap: 50 }), 403, "FORBIDDEN");
    expectApiError(await api.patch(self.secret, self.id, { allowed_countries: ["DE", "FR", "GB"] }), 403, "FORBIDDEN");
  });

  it("gives a key it creates its own cap and countries when left out, and refuses a looser child (403)", async () => {
    const parent = await limitedKey();
    const child = await api.create(parent.secret, { name: unique("child"), permissions: ["sms.send"] });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ daily_spend_cap: 50, allowed_countries: ["DE", "FR", "GB"] });
    for (const over of [{ daily_spend_cap: 51 }, { daily_spend_cap: null }, { allowed_countries: [] }, { allowed_countries: ["US"] }]) {
      const res = await api.create(parent.secret, { name: unique("loose child"), permissions: ["sms.send"], ...over });
      expect({ over, status: res.status, code: res.body.error_code }).toEqual({ over, status: 403, code: "FORBIDDEN" });
    }
    const tight = await api.create(parent.secret, {
      name: unique("tight child"),
      permissions: ["sms.send"],
      daily_spend_cap: 5,
      allowed_countries: ["FR"],
    });
    expect(tight.status).toBe(201);
    // Nor may it widen a key it edits.
    expectApiError(await api.patch(parent.secret, tight.body.id, { daily_spend_cap: 60 }), 403, "FORBIDDEN");
    expectApiError(await api.patch(parent.secret, tight.body.id, { allowed_countries: ["US"] }), 403, "FORBIDDEN");
  });
});
