/**
 * The Dashboard's "Keys expiring within 7 days" against a real database: the
 * keys list's visibility (a Developer or Billing member sees only keys within
 * their ceiling), active keys only, the next 7 days only, soonest first.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "@/db/schema";
import type { Permission, Role } from "@/lib/permissions/catalog";
import { contextFor } from "@/lib/workspaces/context";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { createKey, listExpiringKeys, listKeys, revokeKey } from "./service";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
}, 60_000);
afterAll(() => t.close());

const DAY = 24 * 3600 * 1000;
const ROLES: Role[] = ["owner", "admin", "developer", "billing"];

async function keyAs(name: string, permissions: Permission[], expiresInDays: number, workspaceId = t.seed.mainWorkspaceId) {
  const owner = await contextFor(t.db, t.seed.userIds.owner, workspaceId);
  const { key } = await createKey(t.db, owner, {
    name,
    permissions,
    mode: "test",
    hmac: false,
    offTheRecord: false,
    allowedCidrs: [],
    postbackUrl: null,
    expiresAt: null,
  });
  await t.db
    .update(apiKeys)
    .set({ expiresAt: new Date(Date.now() + expiresInDays * DAY) })
    .where(eq(apiKeys.id, key.id));
  return key.id;
}

describe("keys expiring within 7 days", () => {
  it("lists, for each role, exactly the keys its keys list shows that are active and expire within 7 days, soonest first", async () => {
    const sms = await keyAs("Expiring sms", ["sms.send"], 2.5);
    const balance = await keyAs("Expiring balance", ["balance.read"], 3.5);
    const full = await keyAs("Expiring full", ["*"], 0.5);
    const later = await keyAs("Expiring later", ["sms.send"], 10);
    const past = await keyAs("Expired", ["sms.send"], -1);
    const revoked = await keyAs("Revoked soon", ["sms.send"], 2);
    await revokeKey(t.db, await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId), revoked);
    const staging = await keyAs("Staging soon", ["sms.send"], 2, t.seed.stagingWorkspaceId);
    const mine = new Set([sms, balance, full, later, past, revoked, staging]);

    const expected: Record<Role, string[]> = {
      owner: [full, sms, balance],
      admin: [full, sms, balance],
      developer: [sms],
      billing: [balance],
      viewer: [],
    };
    for (const role of ROLES) {
      const ctx = await contextFor(t.db, t.seed.userIds[role], t.seed.mainWorkspaceId);
      const expiring = await listExpiringKeys(t.db, ctx);
      expect(
        expiring.rows.map((k) => k.id).filter((id) => mine.has(id)),
        role,
      ).toEqual(expected[role]);

      // The same set as the keys list's, filtered by hand: one visibility rule, not two.
      const all = await listKeys(t.db, ctx, { page: 1, pageSize: 1000, sort: "expiresAt", dir: "asc", q: "" });
      const now = Date.now();
      const fromList = all.rows
        .filter((k) => k.status === "active" && k.expiresAt && Date.parse(k.expiresAt) - now <= 7 * DAY)
        .map((k) => k.id);
      expect(expiring.rows.map((k) => k.id).sort(), role).toEqual(fromList.sort());
      expect(expiring.total, role).toBe(fromList.length);
    }
  });

  it("says how many days are left, rounded up", async () => {
    const id = await keyAs("Days left", ["sms.read"], 1.2);
    const owner = await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
    const row = (await listExpiringKeys(t.db, owner)).rows.find((k) => k.id === id);
    expect(row?.daysLeft).toBe(2);
  });
});
