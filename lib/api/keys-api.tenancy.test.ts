/**
 * The cross-tenant matrix of the keys API (docs/api-v1.md §2, NOT_FOUND):
 * a key of another workspace — of the same organization or another one — gets
 * 404 NOT_FOUND for every key of this one, never 403, and changes nothing; and a
 * key lacking the permission gets 403 whether or not the id exists.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import { apiKeys, memberships, organizations, users, workspaces, type ApiKeyRow } from "@/db/schema";
import { callApi, expectApiError, makeKey, randomAddress, startRuntime, type Handler } from "@/tests/api";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;
let mainKey: string;
let stagingKey: string;
let globex: { workspaceId: number; key: string };

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = await startRuntime(t, { redisUrl: process.env.REDIS_URL });
  // Main gets a few more keys of every kind (HMAC, restricted, test mode, revoked-later) besides the seeded two.
  mainKey = (await makeKey(t, { name: "main admin" })).secret;
  await makeKey(t, { name: "main hmac", hmac: true });
  await makeKey(t, { name: "main restricted", permissions: ["sms.send"], mode: "test" });
  stagingKey = (await makeKey(t, { name: "staging admin" }, t.seed.stagingWorkspaceId)).secret;

  // A second organization, with its own owner, workspace and key.
  const [org] = await t.db.insert(organizations).values({ name: "Globex" }).returning();
  const [ws] = await t.db
    .insert(workspaces)
    .values({ organizationId: org.id, name: "Globex main", isMain: true, balance: "5" })
    .returning();
  const [owner] = await t.db.insert(users).values({ email: "owner@globex.test", name: "Gina Globex", passwordHash: "x" }).returning();
  await t.db.insert(memberships).values({ userId: owner.id, organizationId: org.id, role: "owner" });
  const made = await makeKey(t, { name: "globex admin" }, ws.id, owner.id);
  globex = { workspaceId: ws.id, key: made.secret };
});

afterAll(async () => {
  await runtime?.close();
  await t?.close();
});

const keysOf = (workspaceId: number) => t.db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(apiKeys.id);
/** Keys as stored once earlier requests' batched last-used writes have landed (else they race the comparison). */
const settledKeysOf = async (workspaceId: number) => {
  await runtime.requestLog.flush();
  return keysOf(workspaceId);
};

/** Every keys endpoint that takes an id, with a body that would succeed on a key of the caller's own workspace. */
const BY_ID: Array<{ name: string; handler: Handler; method: string; suffix: string; body?: object }> = [
  { name: "GET /keys/:id", handler: keyRoute.GET, method: "GET", suffix: "" },
  { name: "PATCH /keys/:id", handler: keyRoute.PATCH, method: "PATCH", suffix: "", body: { name: "taken over", enabled: false } },
  { name: "POST /keys/:id/roll", handler: rollRoute.POST, method: "POST", suffix: "/roll", body: { expires_in_seconds: 0 } },
  { name: "DELETE /keys/:id", handler: keyRoute.DELETE, method: "DELETE", suffix: "" },
];

async function expectNotFoundEverywhere(callerKey: string, targets: ApiKeyRow[]) {
  expect(targets.length).toBeGreaterThan(0);
  for (const target of targets) {
    for (const e of BY_ID) {
      const res = await callApi(e.handler, {
        method: e.method,
        path: `/api/v1/keys/${target.id}${e.suffix}`,
        params: { id: target.id },
        key: callerKey,
        body: e.body,
        address: randomAddress(),
      });
      expect({ endpoint: e.name, key: target.name, status: res.status, code: res.body.error_code }).toEqual({
        endpoint: e.name,
        key: target.name,
        status: 404,
        code: "NOT_FOUND",
      });
      expectApiError(res, 404, "NOT_FOUND");
    }
  }
}

describe("another workspace of the same organization", () => {
  it("gets 404 NOT_FOUND for every key of Main on GET, PATCH, roll and DELETE, and changes nothing", async () => {
    const before = await settledKeysOf(t.seed.mainWorkspaceId);
    await expectNotFoundEverywhere(stagingKey, before);
    expect(await keysOf(t.seed.mainWorkspaceId)).toEqual(before);
  });

  it("answers a foreign key id exactly as an id that does not exist", async () => {
    const [foreign] = await keysOf(t.seed.mainWorkspaceId);
    const get = (id: string) =>
      callApi(keyRoute.GET, { path: `/api/v1/keys/${id}`, params: { id }, key: stagingKey, address: randomAddress() });
    expect((await get(foreign.id)).body).toEqual((await get("key_doesNotExist000")).body);
  });

  it("lists none of Main's keys on GET /keys", async () => {
    const res = await callApi(keysRoute.GET, { path: "/api/v1/keys", key: stagingKey, address: randomAddress() });
    expect(res.status).toBe(200);
    const mainIds = new Set((await keysOf(t.seed.mainWorkspaceId)).map((k) => k.id));
    const listed: string[] = res.body.keys.map((k: { id: string }) => k.id);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((id) => mainIds.has(id))).toEqual([]);
    expect(listed.sort()).toEqual((await keysOf(t.seed.stagingWorkspaceId)).map((k) => k.id).sort());
  });
});

describe("another organization", () => {
  it("gets 404 NOT_FOUND for every key of Acme's workspaces, and changes nothing", async () => {
    const main = await settledKeysOf(t.seed.mainWorkspaceId);
    const staging = await settledKeysOf(t.seed.stagingWorkspaceId);
    await expectNotFoundEverywhere(globex.key, [...main, ...staging]);
    expect(await keysOf(t.seed.mainWorkspaceId)).toEqual(main);
    expect(await keysOf(t.seed.stagingWorkspaceId)).toEqual(staging);
  });

  it("is a tenant too: Acme's keys get 404 NOT_FOUND for Globex's keys", async () => {
    await expectNotFoundEverywhere(mainKey, await keysOf(globex.workspaceId));
  });

  it("lists only its own keys", async () => {
    const res = await callApi(keysRoute.GET, { path: "/api/v1/keys", key: globex.key, address: randomAddress() });
    const own = (await keysOf(globex.workspaceId)).map((k) => k.id);
    expect(res.body.keys.map((k: { id: string }) => k.id)).toEqual(own);
  });
});

describe("missing permission leaks nothing", () => {
  it("answers 403 FORBIDDEN for an existing id and an unknown one alike (the permission is checked first)", async () => {
    const { secret } = await makeKey(t, { permissions: ["sms.read", "balance.read"] });
    const [existing] = await keysOf(t.seed.mainWorkspaceId);
    for (const id of [existing.id, "key_doesNotExist000", "not-even-an-id"]) {
      for (const e of BY_ID) {
        const res = await callApi(e.handler, {
          method: e.method,
          path: `/api/v1/keys/${id}${e.suffix}`,
          params: { id },
          key: secret,
          body: e.body,
          address: randomAddress(),
        });
        expectApiError(res, 403, "FORBIDDEN");
      }
    }
  });
});
