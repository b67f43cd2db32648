/**
 * The Audit log page's reads: keyset pages that cover every event once (even
 * many in the same microsecond), the filters, the organization's boundary, and
 * the CSV export (formula-safe, the same filters, no secret).
 */
import { parse } from "csv-parse/sync";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, organizations, workspaces, type AuditChanges } from "@/db/schema";
import { createKey } from "@/lib/keys/service";
import { contextFor } from "@/lib/workspaces/context";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { AUDIT_EXPORT_COLUMNS, exportAuditCsv } from "./export";
import { auditQuerySchema, listAuditEvents, type AuditQuery } from "./query";

let t: TestDatabase;
let otherOrg: number;
const SAME_INSTANT = new Date("2026-01-15T10:00:00.123456Z");

beforeAll(async () => {
  t = await createTestDatabase();
  const { organizationId: org, mainWorkspaceId: ws, userIds } = t.seed;
  // 60 events: 30 in one instant (ties broken by id), 30 a minute apart; owner and admin alternate.
  await t.db.insert(auditEvents).values(
    Array.from({ length: 60 }, (_, i) => ({
      organizationId: org,
      workspaceId: ws,
      actorUserId: i % 2 ? userIds.admin : userIds.owner,
      action: i % 3 ? "workspace.update" : "key.revoke",
      targetType: i % 3 ? "workspace" : "api_key",
      targetId: i % 3 ? String(ws) : `key_${i}`,
      changes: (i === 0 ? { name: { before: '=HYPERLINK("http://evil")', after: "+1-2" } } : {}) as AuditChanges,
      address: "203.0.113.7",
      createdAt: i < 30 ? SAME_INSTANT : new Date(SAME_INSTANT.getTime() + i * 60_000),
    })),
  );
  const [other] = await t.db.insert(organizations).values({ name: "Other" }).returning();
  otherOrg = other.id;
  const [otherWs] = await t.db
    .insert(workspaces)
    .values({ organizationId: other.id, name: "Theirs", isMain: true, balance: "0" })
    .returning();
  await t.db.insert(auditEvents).values({
    organizationId: other.id,
    workspaceId: otherWs.id,
    action: "workspace.update",
    targetType: "workspace",
    targetId: String(otherWs.id),
    createdAt: SAME_INSTANT,
  });
});
afterAll(async () => {
  await t?.close();
});

const q = (values: Record<string, string> = {}): AuditQuery => auditQuerySchema.parse(values);
const all = async (values: Record<string, string>, limit = 7) => {
  const ids: number[] = [];
  let page = await listAuditEvents(t.db, t.seed.organizationId, q(values), { limit });
  ids.push(...page.events.map((e) => e.id));
  while (page.older) {
    page = await listAuditEvents(t.db, t.seed.organizationId, q({ ...values, after: page.older }), { limit });
    ids.push(...page.events.map((e) => e.id));
  }
  return ids;
};

describe("the audit log's pages", () => {
  it("walks every event of the organization once, newest first by (time, id), with ties in one microsecond", async () => {
    const expected = (
      await t.db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(eq(auditEvents.organizationId, t.seed.organizationId))
        .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    ).map((r) => r.id);
    expect(await all({})).toEqual(expected);
  });

  it("goes back to newer pages with the same events as going forward", async () => {
    const first = await listAuditEvents(t.db, t.seed.organizationId, q(), { limit: 10 });
    const second = await listAuditEvents(t.db, t.seed.organizationId, q({ after: first.older! }), { limit: 10 });
    const third = await listAuditEvents(t.db, t.seed.organizationId, q({ after: second.older! }), { limit: 10 });
    const back = await listAuditEvents(t.db, t.seed.organizationId, q({ before: third.newer! }), { limit: 10 });
    expect(back.events.map((e) => e.id)).toEqual(second.events.map((e) => e.id));
    const front = await listAuditEvents(t.db, t.seed.organizationId, q({ before: back.newer! }), { limit: 10 });
    expect(front.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(front.newer).toBeNull();
  });

  it("never shows another organization's events", async () => {
    const page = await listAuditEvents(t.db, otherOrg, q(), { limit: 100 });
    expect(page.events).toHaveLength(1);
    const ours = await all({}, 100);
    expect(ours).not.toContain(page.events[0].id);
  });

  it("filters by actor, action, target and period, and names actors and targets", async () => {
    const { userIds } = t.seed;
    const byAdmin = await listAuditEvents(t.db, t.seed.organizationId, q({ actor: `user:${userIds.admin}` }), { limit: 100 });
    expect(byAdmin.events.length).toBeGreaterThan(0);
    expect(byAdmin.events.every((e) => e.actorFilter === `user:${userIds.admin}` && e.actor.name.length > 0)).toBe(true);
    const revokes = await listAuditEvents(t.db, t.seed.organizationId, q({ action: "key.revoke" }), { limit: 100 });
    expect(revokes.events).toHaveLength(20);
    expect(revokes.events.every((e) => e.action === "key.revoke" && e.target.type === "api_key")).toBe(true);
    const workspaceTargets = await listAuditEvents(t.db, t.seed.organizationId, q({ target: "workspace" }), { limit: 100 });
    expect(workspaceTargets.events.every((e) => e.target.name === "Main")).toBe(true);
    const oneKey = await listAuditEvents(t.db, t.seed.organizationId, q({ target_id: "key_3" }), { limit: 100 });
    expect(oneKey.events.map((e) => e.target.id)).toEqual(["key_3"]);
    const day = await listAuditEvents(t.db, t.seed.organizationId, q({ from: "2026-01-15", to: "2026-01-15" }), { limit: 100 });
    expect(day.events).toHaveLength(60);
    const before = await listAuditEvents(t.db, t.seed.organizationId, q({ to: "2026-01-14" }), { limit: 100 });
    expect(before.events).toHaveLength(0);
  });

  it("refuses a malformed filter or cursor by the field, never a query error", () => {
    const bad = auditQuerySchema.safeParse({ actor: "user:x", action: "key.explode", after: "1; drop table", from: "2026-02-30x" });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error!.issues.map((i) => String(i.path[0])));
    expect([...fields].sort()).toEqual(["action", "actor", "after", "from"]);
    expect(auditQuerySchema.safeParse({ from: "2026-02-02", to: "2026-02-01" }).success).toBe(false);
  });
});

describe("the audit log's CSV export", () => {
  const read = async (values: Record<string, string>) => {
    const stream = await exportAuditCsv(t.db, t.seed.organizationId, q(values), { batchSize: 7 });
    return parse(await new Response(stream).text()) as string[][];
  };

  it("streams every event the filters select, with the header, in batches", async () => {
    const rows = await read({});
    expect(rows[0]).toEqual(AUDIT_EXPORT_COLUMNS);
    expect(rows.slice(1).map((r) => Number(r[AUDIT_EXPORT_COLUMNS.indexOf("event_id")]))).toEqual(await all({}, 100));
    const revokes = await read({ action: "key.revoke" });
    expect(revokes).toHaveLength(21);
  });

  it("makes every cell a spreadsheet would run inert with a leading '", async () => {
    const rows = await read({ target_id: "key_0" });
    const changes = rows[1][AUDIT_EXPORT_COLUMNS.indexOf("changes")];
    expect(changes.startsWith("{")).toBe(true);
    expect(changes).toContain("=HYPERLINK");
    const [{ organizationId, mainWorkspaceId, userIds }] = [t.seed];
    await t.db.insert(auditEvents).values({
      organizationId,
      workspaceId: mainWorkspaceId,
      actorUserId: userIds.owner,
      action: "key.update",
      targetType: "api_key",
      targetId: "=cmd|' /C calc'!A0",
      address: "@evil",
    });
    const formula = await read({ target_id: "=cmd|' /C calc'!A0" });
    expect(formula[1][AUDIT_EXPORT_COLUMNS.indexOf("target_id")]).toBe("'=cmd|' /C calc'!A0");
    expect(formula[1][AUDIT_EXPORT_COLUMNS.indexOf("address")]).toBe("'@evil");
    for (const cell of formula[1]) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("holds no key secret, even for a key made by the call it records", async () => {
    const owner = await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId, "203.0.113.7");
    const created = await createKey(t.db, owner, {
      name: "Exported",
      mode: "test",
      permissions: ["sms.send"],
      hmac: true,
      offTheRecord: false,
      allowedCidrs: [],
      postbackUrl: null,
      expiresAt: null,
    });
    const text = await new Response(await exportAuditCsv(t.db, t.seed.organizationId, q({ target_id: created.key.id }))).text();
    expect(text).toContain(created.key.id);
    expect(text).not.toContain(created.secret);
    if (created.signingSecret) expect(text).not.toContain(created.signingSecret);
  });
});
