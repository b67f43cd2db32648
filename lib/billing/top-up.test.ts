/**
 * The Billing page's actions against a real database (Postgres when DATABASE_URL
 * is set, else PGlite), called exactly as the browser path calls them:
 * billingActions.x({ db, context }, rawFormValues).
 */
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db";
import type { DemoSeed } from "@/db/seed";
import { auditEvents, ledgerEntries, memberships, organizations, users, workspaces } from "@/db/schema";
import type { ActionResult } from "@/lib/portal/define-action";
import { billingActions } from "@/lib/portal/billing-actions";
import type { Role } from "@/lib/permissions/catalog";
import { contextFor } from "@/lib/workspaces/context";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { toUnits } from "./money";
import { billingSummary, paymentPage, priceTable } from "./queries";
import { topUpSchema } from "./schemas";

let testDb: TestDatabase;
let db: Db;
let seed: DemoSeed;

beforeAll(async () => {
  testDb = await createTestDatabase();
  ({ db, seed } = testDb);
});

afterAll(async () => {
  await testDb?.close();
});

const ctxAs = (role: Role, workspaceId = seed.mainWorkspaceId) => contextFor(db, seed.userIds[role], workspaceId);

function okData<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got "${result.error}" ${JSON.stringify(result.fieldErrors ?? {})}`);
  return result.data;
}

function refusal<T>(result: ActionResult<T>) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.data)}`);
  return result;
}

/** The workspace's balance, and the sum of its ledger, in units of the money scale. */
async function money(workspaceId = seed.mainWorkspaceId) {
  const [w] = await db.select({ balance: workspaces.balance }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const [l] = await db
    .select({ sum: sql<string>`coalesce(sum(${ledgerEntries.amount}), 0)::text` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.workspaceId, workspaceId));
  return { balance: toUnits(w.balance), ledger: toUnits(l.sum) };
}

async function counts() {
  const [{ entries }] = await db.select({ entries: count() }).from(ledgerEntries);
  const [{ audits }] = await db.select({ audits: count() }).from(auditEvents);
  return { entries, audits };
}

const thresholdOf = async (workspaceId: number) => (await billingSummary(db, workspaceId, seed.organizationId))?.threshold;

const auditOf = (action: string) => db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(asc(auditEvents.id));

const topUpValues = (over: Record<string, unknown> = {}) => ({
  workspaceId: seed.mainWorkspaceId,
  amount: "50",
  idempotencyKey: randomUUID(),
  ...over,
});

describe("top-up", () => {
  it("records a portal adjustment with the actor, raises the balance by it and writes one billing.top_up event, together", async () => {
    const context = await ctxAs("owner");
    const before = await money();
    const countsBefore = await counts();
    const auditsBefore = (await auditOf("billing.top_up")).length;

    const data = okData(await billingActions.topUp({ db, context }, topUpValues({ amount: "12.5" })));

    expect(data).toMatchObject({ amount: 12.5, currency: "EUR", repeated: false });
    expect(data.entryId).toMatch(/^portal_P\d+$/);
    const after = await money();
    expect(after.balance - before.balance).toBe(toUnits("12.50"));
    expect(after.balance).toBe(after.ledger);
    expect(data.balance).toBe(Number(after.balance) / 100_000);
    expect(await counts()).toEqual({ entries: countsBefore.entries + 1, audits: countsBefore.audits + 1 });

    const [entry] = await db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.id, Number(data.entryId.slice("portal_P".length))));
    expect(entry).toMatchObject({
      workspaceId: seed.mainWorkspaceId,
      amount: "12.50000",
      type: "adjustment",
      source: "portal",
      actorUserId: seed.userIds.owner,
      currency: "EUR",
    });

    const events = await auditOf("billing.top_up");
    expect(events).toHaveLength(auditsBefore + 1);
    expect(events.at(-1)).toMatchObject({
      organizationId: seed.organizationId,
      workspaceId: seed.mainWorkspaceId,
      actorUserId: seed.userIds.owner,
      targetType: "workspace",
      targetId: String(seed.mainWorkspaceId),
      address: "127.0.0.1",
      changes: {
        amount: { before: null, after: 12.5 },
        balance: { before: Number(before.balance) / 100_000, after: data.balance },
        ledgerEntry: { before: null, after: data.entryId },
      },
    });
  });

  it("shows the top-up in the payments, newest first, with the actor's name and the API's id", async () => {
    const context = await ctxAs("billing");
    const data = okData(await billingActions.topUp({ db, context }, topUpValues({ amount: "7.25" })));
    const page = await paymentPage(db, seed.mainWorkspaceId, 1);
    expect(page.rows[0]).toMatchObject({
      id: data.entryId,
      amount: 7.25,
      type: "adjustment",
      source: "portal",
      description: "Top-up in the portal",
      actor: "Bill Billing",
    });
    expect(page.total).toBeGreaterThanOrEqual(3);
    // Seeded entries have no actor.
    expect(page.rows.some((r) => r.actor === null)).toBe(true);
  });

  it("adds funds once when the same form is submitted twice at the same moment", async () => {
    const [owner, billing] = await Promise.all([ctxAs("owner"), ctxAs("billing")]);
    const before = await money();
    const countsBefore = await counts();
    const values = topUpValues({ amount: "33.30" });

    const results = await Promise.all([
      billingActions.topUp({ db, context: owner }, values),
      billingActions.topUp({ db, context: owner }, values),
      billingActions.topUp({ db, context: billing }, values),
    ]);

    const data = results.map(okData);
    expect(new Set(data.map((d) => d.entryId)).size).toBe(1);
    expect(data.filter((d) => !d.repeated)).toHaveLength(1);
    const after = await money();
    expect(after.balance - before.balance).toBe(toUnits("33.30"));
    expect(after.balance).toBe(after.ledger);
    expect(await counts()).toEqual({ entries: countsBefore.entries + 1, audits: countsBefore.audits + 1 });
  });

  it("adds funds once when the form is submitted again later, and answers with the first top-up", async () => {
    const context = await ctxAs("owner");
    const values = topUpValues({ amount: "5" });
    const first = okData(await billingActions.topUp({ db, context }, values));
    const before = await money();
    const again = okData(await billingActions.topUp({ db, context }, values));
    expect(again).toMatchObject({ entryId: first.entryId, amount: 5, repeated: true });
    expect(await money()).toEqual(before);
  });

  it("refuses the same idempotency key with another amount, adding nothing", async () => {
    const context = await ctxAs("owner");
    const values = topUpValues({ amount: "5" });
    okData(await billingActions.topUp({ db, context }, values));
    const before = await counts();
    const result = refusal(await billingActions.topUp({ db, context }, { ...values, amount: "500" }));
    expect(result.error).toMatch(/already submitted with another amount/);
    expect(await counts()).toEqual(before);
  });

  it("keys idempotency per workspace: the same key in Staging is another top-up", async () => {
    const values = topUpValues({ amount: "1" });
    okData(await billingActions.topUp({ db, context: await ctxAs("owner") }, values));
    const staging = okData(
      await billingActions.topUp(
        { db, context: await ctxAs("owner", seed.stagingWorkspaceId) },
        { ...values, workspaceId: seed.stagingWorkspaceId },
      ),
    );
    expect(staging.repeated).toBe(false);
  });

  it.each([
    ["", "Enter an amount"],
    ["   ", "Enter an amount"],
    ["0", "Enter an amount above 0"],
    ["0.00", "Enter an amount above 0"],
    ["-5", "Enter a number, such as 50 or 12.50"],
    ["12.345", "Use at most 2 decimals"],
    ["1,5", "Enter a number, such as 50 or 12.50"],
    ["1e3", "Enter a number, such as 50 or 12.50"],
    ["abc", "Enter a number, such as 50 or 12.50"],
    ["100000.01", "At most 100,000"],
    ["99999999999999999999999", "At most 100,000"],
  ])("refuses the amount %j with a message by the field, writing nothing", async (amount, message) => {
    const context = await ctxAs("owner");
    const before = { ...(await money()), ...(await counts()) };
    const result = refusal(await billingActions.topUp({ db, context }, topUpValues({ amount })));
    expect(result.fieldErrors).toEqual({ amount: message });
    expect({ ...(await money()), ...(await counts()) }).toEqual(before);
  });

  it("accepts the largest amount and normalises what the person typed", () => {
    expect(topUpSchema.parse(topUpValues({ amount: " 100000 " })).amount).toBe("100000.00");
    expect(topUpSchema.parse(topUpValues({ amount: "007.5" })).amount).toBe("7.50");
  });

  it("refuses a form without a valid idempotency key or workspace, by the field", async () => {
    const context = await ctxAs("owner");
    const result = refusal(await billingActions.topUp({ db, context }, { workspaceId: "main", amount: "5", idempotencyKey: "x" }));
    expect(result.fieldErrors).toMatchObject({ workspaceId: "Workspace not found", idempotencyKey: "Close the dialog and open it again" });
  });

  it.each(["admin", "developer", "viewer"] as const)("refuses a top-up by a %s, writing nothing", async (role) => {
    const context = await ctxAs(role);
    const before = { ...(await money()), ...(await counts()) };
    const result = refusal(await billingActions.topUp({ db, context }, topUpValues()));
    expect(result.error).toBe("Your role does not allow this.");
    expect({ ...(await money()), ...(await counts()) }).toEqual(before);
  });

  it("refuses a signed-out request", async () => {
    const result = refusal(await billingActions.topUp({ db, context: null }, topUpValues()));
    expect(result.error).toMatch(/session has ended/);
  });

  it("answers Workspace not found for another organization's workspace, touching neither", async () => {
    const [org] = await db.insert(organizations).values({ name: "Globex" }).returning();
    const [globexMain] = await db
      .insert(workspaces)
      .values({ organizationId: org.id, name: "Main", isMain: true, balance: "10" })
      .returning();
    const [user] = await db
      .insert(users)
      .values({ email: "owner@globex.test", name: "Gary Globex", passwordHash: "not-a-real-hash" })
      .returning();
    await db.insert(memberships).values({ userId: user.id, organizationId: org.id, role: "owner" });
    const intruder = await contextFor(db, user.id, globexMain.id);
    const before = { acme: await money(), globex: await money(globexMain.id), ...(await counts()) };

    // Globex's owner names Acme's workspace…
    const result = refusal(await billingActions.topUp({ db, context: intruder }, topUpValues()));
    expect(result.error).toBe("Workspace not found");
    // …and Acme's owner names Globex's.
    const back = refusal(await billingActions.topUp({ db, context: await ctxAs("owner") }, topUpValues({ workspaceId: globexMain.id })));
    expect(back.error).toBe("Workspace not found");
    const alert = refusal(
      await billingActions.setLowBalanceAlert({ db, context: intruder }, { workspaceId: seed.mainWorkspaceId, threshold: "5" }),
    );
    expect(alert.error).toBe("Workspace not found");

    expect({ acme: await money(), globex: await money(globexMain.id), ...(await counts()) }).toEqual(before);
  });

  it("tops up the workspace the form was opened for, not the one switched to since", async () => {
    // The person opened the dialog in Staging, then switched to Main in another tab.
    const context = await ctxAs("owner", seed.mainWorkspaceId);
    const staging = await money(seed.stagingWorkspaceId);
    const main = await money();
    okData(await billingActions.topUp({ db, context }, topUpValues({ workspaceId: seed.stagingWorkspaceId, amount: "2" })));
    expect((await money(seed.stagingWorkspaceId)).balance - staging.balance).toBe(toUnits("2"));
    expect(await money()).toEqual(main);
    const [event] = (await auditOf("billing.top_up")).slice(-1);
    expect(event.workspaceId).toBe(seed.stagingWorkspaceId);
  });

  it("writes nothing when the audit event cannot be written", async () => {
    const context = await ctxAs("owner");
    const before = { ...(await money()), ...(await counts()) };
    await db.execute(
      sql.raw(
        `CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`,
      ),
    );
    await db.execute(
      sql.raw(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`),
    );
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const result = refusal(await billingActions.topUp({ db, context }, topUpValues()));
      expect(result.error).toMatch(/^Something went wrong/);
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
      await db.execute(sql.raw(`DROP TRIGGER test_refuse_audit ON audit_events`));
      await db.execute(sql.raw(`DROP FUNCTION test_refuse_audit()`));
    }
    expect({ ...(await money()), ...(await counts()) }).toEqual(before);
  });
});

describe("low balance alert", () => {
  it.each(["owner", "admin", "billing"] as const)("a %s sets it, audited once as billing.low_balance_alert", async (role) => {
    const context = await ctxAs(role);
    const previous = await thresholdOf(seed.mainWorkspaceId);
    const value = { owner: "20", admin: "15.5", billing: "30.25" }[role];
    const before = (await auditOf("billing.low_balance_alert")).length;
    const data = okData(await billingActions.setLowBalanceAlert({ db, context }, { workspaceId: seed.mainWorkspaceId, threshold: value }));
    expect(data.threshold).toBe(Number(value));
    expect(await thresholdOf(seed.mainWorkspaceId)).toBe(Number(value));
    const events = await auditOf("billing.low_balance_alert");
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      actorUserId: seed.userIds[role],
      workspaceId: seed.mainWorkspaceId,
      changes: { lowBalanceThreshold: { before: previous, after: Number(value) } },
    });
  });

  it("clears it when the field is emptied, and records nothing when it is saved unchanged", async () => {
    const context = await ctxAs("owner");
    okData(await billingActions.setLowBalanceAlert({ db, context }, { workspaceId: seed.mainWorkspaceId, threshold: "40" }));
    const before = (await auditOf("billing.low_balance_alert")).length;
    okData(await billingActions.setLowBalanceAlert({ db, context }, { workspaceId: seed.mainWorkspaceId, threshold: "40.00" }));
    expect(await auditOf("billing.low_balance_alert")).toHaveLength(before);
    expect(okData(await billingActions.setLowBalanceAlert({ db, context }, { workspaceId: seed.mainWorkspaceId, threshold: "" }))).toEqual({
      threshold: null,
    });
    expect(await thresholdOf(seed.mainWorkspaceId)).toBeNull();
    expect((await auditOf("billing.low_balance_alert")).at(-1)?.changes).toEqual({ lowBalanceThreshold: { before: 40, after: null } });
  });

  it.each(["developer", "viewer"] as const)("refuses a %s", async (role) => {
    const context = await ctxAs(role);
    const result = refusal(await billingActions.setLowBalanceAlert({ db, context }, { workspaceId: seed.mainWorkspaceId, threshold: "1" }));
    expect(result.error).toBe("Your role does not allow this.");
  });

  it.each([
    ["-1", "Enter a number, such as 50 or 12.50"],
    ["1.234", "Use at most 2 decimals"],
    ["1000000.01", "At most 1,000,000"],
  ])("refuses %j by the field", async (threshold, message) => {
    const context = await ctxAs("owner");
    const result = refusal(await billingActions.setLowBalanceAlert({ db, context }, { workspaceId: seed.mainWorkspaceId, threshold }));
    expect(result.fieldErrors).toEqual({ threshold: message });
  });

  it("is per workspace", async () => {
    const context = await ctxAs("owner", seed.stagingWorkspaceId);
    okData(await billingActions.setLowBalanceAlert({ db, context }, { workspaceId: seed.stagingWorkspaceId, threshold: "3" }));
    expect(await thresholdOf(seed.stagingWorkspaceId)).toBe(3);
    const [main] = await db
      .select({ t: workspaces.lowBalanceThreshold })
      .from(workspaces)
      .where(and(eq(workspaces.id, seed.mainWorkspaceId)));
    expect(main.t).not.toBe("3.00000");
  });
});

describe("prices", () => {
  it("lists every network with its rate-change fields, the change type following the rates", async () => {
    const list = await priceTable(db);
    expect(list.length).toBeGreaterThan(100);
    for (const p of list) {
      const expected = p.rate > p.previousRate ? "Increase" : p.rate < p.previousRate ? "Decrease" : "Same";
      expect(p.changeType).toBe(expected);
      expect(p.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
  });
});
