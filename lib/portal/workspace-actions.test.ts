/**
 * Workspaces (Workspace settings): create, rename, archive through the actions the
 * browser calls, against a real database; an archived workspace's keys refused by
 * the API guard at once, as a revoked key is (API_KEY_INACTIVE, docs/api-v1.md §2).
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import { auditEvents, workspaces } from "@/db/schema";
import type { ApiRuntime } from "@/lib/api/runtime";
import { signUp } from "@/lib/auth/sign-up";
import type { Role } from "@/lib/permissions/catalog";
import { contextFor } from "@/lib/workspaces/context";
import { callApi, expectApiError, makeKey, randomAddress, setupApi, teardownApi } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import { WORKSPACE_ARCHIVED } from "./define-action";
import { keyActions } from "./key-actions";
import { workspaceActions } from "./workspace-actions";

let t: TestDatabase;
let runtime: ApiRuntime;
beforeAll(async () => ({ t, runtime } = await setupApi()));
afterAll(() => teardownApi({ t, runtime }));

const as = async (role: Role, workspaceId = t.seed.mainWorkspaceId) => ({
  db: t.db,
  context: await contextFor(t.db, t.seed.userIds[role], workspaceId),
});
const eventsOf = (workspaceId: number) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, "workspace"), eq(auditEvents.targetId, String(workspaceId))));
const balance = (key: string) => callApi(balanceRoute.GET, { path: "/api/v1/user/balance", key, address: randomAddress() });

describe("workspaces", () => {
  it("lets Owners and Admins create, rename and archive, each change with exactly one audit event", async () => {
    for (const role of ["owner", "admin"] as const) {
      const created = await workspaceActions.create(await as(role), { name: `  Marketing ${role} ` });
      expect(created.ok).toBe(true);
      if (!created.ok) return;
      expect(created.data).toMatchObject({ name: `Marketing ${role}`, isMain: false, archivedAt: null });
      const [row] = await t.db.select().from(workspaces).where(eq(workspaces.id, created.data.id));
      expect(row).toMatchObject({ organizationId: t.seed.organizationId, balance: "0.00000" });
      expect(await eventsOf(created.data.id)).toMatchObject([
        { action: "workspace.create", actorUserId: t.seed.userIds[role], workspaceId: created.data.id },
      ]);

      const renamed = await workspaceActions.rename(await as(role), { id: created.data.id, name: `Growth ${role}` });
      expect(renamed.ok && renamed.data.name).toBe(`Growth ${role}`);
      const archived = await workspaceActions.archive(await as(role), { id: created.data.id });
      expect(archived.ok && archived.data.archivedAt).toBeInstanceOf(Date);

      const events = await eventsOf(created.data.id);
      expect(events.map((e) => e.action).sort()).toEqual(["workspace.archive", "workspace.create", "workspace.rename"]);
      expect(events.find((e) => e.action === "workspace.rename")?.changes).toEqual({
        name: { before: `Marketing ${role}`, after: `Growth ${role}` },
      });
    }
  });

  it("refuses Developers, Billing and Viewers on the server", async () => {
    for (const role of ["developer", "billing", "viewer"] as const) {
      expect(await workspaceActions.create(await as(role), { name: `Nope ${role}` })).toEqual({
        ok: false,
        error: "Your role does not allow this.",
      });
      expect((await workspaceActions.archive(await as(role), { id: t.seed.stagingWorkspaceId })).ok).toBe(false);
    }
    expect(
      (
        await t.db
          .select()
          .from(workspaces)
          .where(sql`${workspaces.name} like 'Nope %'`)
      ).length,
    ).toBe(0);
  });

  it("keeps names unique per organization whatever their case, by the field; another organization may use them", async () => {
    const taken = await workspaceActions.create(await as("owner"), { name: "STAGING" });
    expect(taken).toMatchObject({ ok: false, fieldErrors: { name: "A workspace of your organization already has this name" } });
    const renamed = await workspaceActions.rename(await as("owner"), { id: t.seed.stagingWorkspaceId, name: "main" });
    expect(renamed).toMatchObject({ ok: false, fieldErrors: { name: "A workspace of your organization already has this name" } });
    expect((await workspaceActions.create(await as("owner"), { name: "   " })).ok).toBe(false);

    const other = await signUp(
      t.db,
      { address: randomAddress() },
      {
        name: "Olga Other",
        email: "olga@other.test",
        password: "copper kettle orbit lantern",
        organization: "Other",
      },
    );
    const otherOwner = { db: t.db, context: await contextFor(t.db, other.user.id, other.workspaceId) };
    expect((await workspaceActions.create(otherOwner, { name: "Staging" })).ok).toBe(true);
  });

  it("answers another organization's workspace as not found, and never archives the main one", async () => {
    const other = await signUp(
      t.db,
      { address: randomAddress() },
      {
        name: "Nina Neighbour",
        email: "nina@neighbour.test",
        password: "copper kettle orbit lantern",
        organization: "Neighbour",
      },
    );
    expect(await workspaceActions.archive(await as("owner"), { id: other.workspaceId })).toEqual({
      ok: false,
      error: "Workspace not found",
    });
    expect(await workspaceActions.rename(await as("admin"), { id: other.workspaceId, name: "Mine" })).toEqual({
      ok: false,
      error: "Workspace not found",
    });
    expect(await workspaceActions.archive(await as("owner"), { id: t.seed.mainWorkspaceId })).toEqual({
      ok: false,
      error: "The main workspace cannot be archived",
    });
    const [main] = await t.db.select().from(workspaces).where(eq(workspaces.id, t.seed.mainWorkspaceId));
    expect(main.archivedAt).toBeNull();
    expect(await eventsOf(other.workspaceId)).toEqual([]);
  });

  it("stops an archived workspace's keys at once with API_KEY_INACTIVE (as revoked), even when cached as valid", async () => {
    const created = await workspaceActions.create(await as("owner"), { name: "Short-lived" });
    if (!created.ok) throw new Error(created.error);
    const { secret } = await makeKey(t, {}, created.data.id);
    const { secret: mainSecret } = await makeKey(t);
    expect((await balance(secret)).status).toBe(200); // cached as valid first
    expect((await workspaceActions.archive(await as("owner"), { id: created.data.id })).ok).toBe(true);
    expectApiError(await balance(secret), 401, "API_KEY_INACTIVE");
    // The other workspaces' keys are untouched.
    expect((await balance(mainSecret)).status).toBe(200);
  });

  it("keeps an archived workspace readable but unchangeable, while the organization's actions still work from it", async () => {
    const created = await workspaceActions.create(await as("owner"), { name: "Archive me" });
    if (!created.ok) throw new Error(created.error);
    const { key } = await makeKey(t, {}, created.data.id);
    expect((await workspaceActions.archive(await as("owner"), { id: created.data.id })).ok).toBe(true);

    const inArchived = await as("owner", created.data.id);
    expect(inArchived.context.workspace.archived).toBe(true);
    expect(inArchived.context.workspaces.find((w) => w.id === created.data.id)).toMatchObject({ archived: true });
    // Workspace data: refused, nothing written.
    expect(await keyActions.revoke(inArchived, { id: key.id })).toEqual({ ok: false, error: WORKSPACE_ARCHIVED });
    expect(await workspaceActions.rename(inArchived, { id: created.data.id, name: "Renamed" })).toMatchObject({ ok: false });
    expect(await workspaceActions.archive(inArchived, { id: created.data.id })).toEqual({
      ok: false,
      error: "This workspace is already archived",
    });
    // Organization actions: allowed from there.
    const fromArchived = await workspaceActions.create(inArchived, { name: "Made from an archived one" });
    expect(fromArchived.ok).toBe(true);
  });
});
