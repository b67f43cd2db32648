/**
 * A key acting through the keys API can never make a key — itself, a new one,
 * or another it edits or rolls — less restricted than itself (issue #10): CIDRs,
 * HMAC, expiry and off-the-record are a floor, not a suggestion. Keys created by
 * a key are revoked with it. A postback URL needs webhooks.write and a public
 * address, checked when it is saved, without echoing what a name resolved to.
 */
import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as balanceRoute from "@/app/api/v1/user/balance/route";
import { apiKeys, auditEvents } from "@/db/schema";
import { keyActions } from "@/lib/portal/key-actions";
import type { Permission } from "@/lib/permissions/catalog";
import { contextFor } from "@/lib/workspaces/context";
import { callApi, expectApiError, makeKey, randomAddress, setupApi, teardownApi, type Handler } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import type { ApiRuntime } from "./runtime";

let t: TestDatabase;
let runtime: ApiRuntime;

beforeAll(async () => {
  // The SSRF guard is on here (as in production): saved postback URLs must be public.
  delete process.env.WEBHOOKS_ALLOW_PRIVATE;
  ({ t, runtime } = await setupApi());
});

afterAll(async () => {
  await teardownApi({ t, runtime });
});

const DAY_MS = 24 * 3600 * 1000;
const byte = () => randomBytes(1)[0];
/** An address inside 10.0.0.0/8, new for every request. */
const tenAddress = () => `10.${byte()}.${byte()}.${byte()}`;

type Caller = { secret: string; signingSecret?: string | null; address?: () => string };
type Body = object | undefined;

function call(handler: Handler, method: string, path: string, as: Caller, body?: Body, params?: Record<string, string>) {
  return callApi(handler, {
    method,
    path: `/api/v1${path}`,
    key: as.secret,
    // Unique bodies and fresh timestamps are not needed: the replay memory is per (key, signature), and each body differs.
    body,
    params,
    address: (as.address ?? randomAddress)(),
    sign: as.signingSecret ? { secret: as.signingSecret } : undefined,
  });
}

const api = {
  create: (as: Caller, body: object) => call(keysRoute.POST, "POST", "/keys", as, body),
  patch: (as: Caller, id: string, body: object) => call(keyRoute.PATCH, "PATCH", `/keys/${id}`, as, body, { id }),
  roll: (as: Caller, id: string) => call(rollRoute.POST, "POST", `/keys/${id}/roll`, as, { expires_in_seconds: 0 }, { id }),
  revoke: (as: Caller, id: string) => call(keyRoute.DELETE, "DELETE", `/keys/${id}`, as, undefined, { id }),
  balance: (as: Caller) => call(balanceRoute.GET, "GET", "/user/balance", as),
};

const rowOf = async (id: string) => (await t.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
/** What a refused change must leave as it was (last use moves with every request, refused or not). */
const settingsOf = async (id: string) => ({ ...(await rowOf(id)), lastUsedAt: null, lastUsedAddress: null });
const unique = (label: string) => `${label} ${randomBytes(4).toString("hex")}`;

/** A keys.write key limited to 10.0.0.0/8 and expiring in 30 days, made by the owner in the portal. */
async function restrictedKey(over: { permissions?: Permission[]; hmac?: boolean; offTheRecord?: boolean } = {}) {
  const made = await makeKey(t, {
    name: unique("restricted"),
    permissions: over.permissions ?? ["keys.write", "keys.read", "balance.read"],
    allowedCidrs: ["10.0.0.0/8"],
    expiresAt: new Date(Date.now() + 30 * DAY_MS),
    hmac: over.hmac ?? false,
    offTheRecord: over.offTheRecord ?? false,
  });
  const caller: Caller = { secret: made.secret, signingSecret: made.signingSecret, address: tenAddress };
  return { id: made.key.id, caller, row: await settingsOf(made.key.id) };
}

describe("a key cannot loosen its own restrictions", () => {
  it("refuses a CIDR-limited, expiring key's PATCH of itself to no CIDRs, wider CIDRs, no or a later expiry, or off the record", async () => {
    const self = await restrictedKey();
    const later = new Date(Date.now() + 60 * DAY_MS).toISOString();
    for (const body of [
      { allowed_cidrs: [] },
      { allowed_cidrs: ["0.0.0.0/0"] },
      { allowed_cidrs: ["10.0.0.0/8", "192.0.2.0/24"] },
      { expires_at: null },
      { expires_at: later },
      { off_the_record: true },
      { name: "all at once", allowed_cidrs: [], expires_at: null, off_the_record: true },
    ]) {
      const res = await api.patch(self.caller, self.id, body);
      expectApiError(res, 403, "FORBIDDEN");
      expect(res.body.description).toMatch(/fewer restrictions than its own/);
    }
    expect(await settingsOf(self.id)).toEqual(self.row);
  });

  it("lets a key tighten itself: narrower CIDRs, an earlier expiry", async () => {
    const self = await restrictedKey();
    const sooner = new Date(Date.now() + 10 * DAY_MS);
    const res = await api.patch(self.caller, self.id, { allowed_cidrs: ["10.1.0.0/16"], expires_at: sooner.toISOString() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allowed_cidrs: ["10.1.0.0/16"], expires_at: sooner.toISOString() });
  });

  it("lets an off-the-record key turn its own logging back on, and refuses turning it off again", async () => {
    const self = await restrictedKey({ offTheRecord: true });
    expect((await api.patch(self.caller, self.id, { off_the_record: false })).body.off_the_record).toBe(false);
    expectApiError(await api.patch(self.caller, self.id, { off_the_record: true }), 403, "FORBIDDEN");
  });
});

describe("a key cannot mint a less restricted key", () => {
  it("gives a new key the creating key's CIDRs, expiry and HMAC when the body leaves them out, and records its parent", async () => {
    const parent = await restrictedKey({ hmac: true });
    const res = await api.create(parent.caller, { name: unique("child"), permissions: ["balance.read"] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      allowed_cidrs: ["10.0.0.0/8"],
      expires_at: parent.row.expiresAt!.toISOString(),
      hmac: true,
      off_the_record: false,
      parent_key_id: parent.id,
    });
    expect(res.body.signing_secret).toEqual(expect.any(String));
    expect((await rowOf(res.body.id)).parentKeyId).toBe(parent.id);
  });

  it("refuses a child with no CIDR, a CIDR outside its own, no or a later expiry, off the record, or unsigned (403), and creates none", async () => {
    const parent = await restrictedKey({ hmac: true });
    const later = new Date(parent.row.expiresAt!.getTime() + 1000).toISOString();
    for (const over of [
      { allowed_cidrs: [] },
      { allowed_cidrs: ["11.0.0.0/8"] },
      { allowed_cidrs: ["10.0.0.0/7"] },
      { expires_at: null },
      { expires_at: later },
      { off_the_record: true },
      { hmac: false },
    ]) {
      const res = await api.create(parent.caller, { name: unique("loose child"), permissions: ["balance.read"], ...over });
      expect({ over, status: res.status, code: res.body.error_code }).toEqual({ over, status: 403, code: "FORBIDDEN" });
    }
    expect(await t.db.select().from(apiKeys).where(eq(apiKeys.parentKeyId, parent.id))).toEqual([]);
  });

  it("accepts a child within its bounds: a narrower CIDR and an earlier expiry", async () => {
    const parent = await restrictedKey();
    const sooner = new Date(Date.now() + DAY_MS).toISOString();
    const res = await api.create(parent.caller, {
      name: unique("tight child"),
      permissions: ["balance.read"],
      allowed_cidrs: ["10.9.0.0/16", "::ffff:10.8.0.0/112"],
      expires_at: sooner,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ allowed_cidrs: ["10.9.0.0/16", "::ffff:10.8.0.0/112"], expires_at: sooner });
  });

  it("leaves people free: an owner's unrestricted keys are still made without any bound (portal)", async () => {
    const ctx = await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
    const created = await keyActions.create(
      { db: t.db, context: ctx },
      {
        name: unique("owner's open key"),
        access: "full",
        permissions: [],
        offTheRecord: true,
        postbackUrl: "",
        allowedCidrs: [],
        expiry: "never",
        expiresOn: "",
        testMode: false,
        hmac: false,
      },
    );
    expect(created.ok).toBe(true);
  });
});

describe("a key cannot loosen or take over another key", () => {
  it("refuses to widen a key it edits: no CIDRs, CIDRs outside its own, no expiry, off the record (403)", async () => {
    const parent = await restrictedKey();
    const child = (await api.create(parent.caller, { name: unique("edited child"), permissions: ["balance.read"] })).body;
    const before = await settingsOf(child.id);
    for (const body of [{ allowed_cidrs: [] }, { allowed_cidrs: ["192.0.2.0/24"] }, { expires_at: null }, { off_the_record: true }]) {
      expectApiError(await api.patch(parent.caller, child.id, body), 403, "FORBIDDEN");
    }
    expect(await settingsOf(child.id)).toEqual(before);
    expect((await api.patch(parent.caller, child.id, { name: "renamed child" })).status).toBe(200);
  });

  it("refuses to roll a key less restricted than itself (its new secret would be an unrestricted credential)", async () => {
    const roller = await restrictedKey();
    const open = await makeKey(t, { name: unique("open sibling"), permissions: ["balance.read"] });
    const res = await api.roll(roller.caller, open.key.id);
    expectApiError(res, 403, "FORBIDDEN");
    expect(res.body).not.toHaveProperty("secret");
    expect((await api.balance({ secret: open.secret })).status).toBe(200);
    // Itself, or a key at least as restricted, it may still roll.
    expect((await api.roll(roller.caller, roller.id)).status).toBe(200);
  });
});

describe("revoking a key revokes the keys it created", () => {
  it("revokes children and grandchildren in the same transaction; none of them works afterwards", async () => {
    const parent = await restrictedKey();
    const childRes = await api.create(parent.caller, { name: unique("child"), permissions: ["keys.write", "balance.read"] });
    const child: Caller = { secret: childRes.body.secret, address: tenAddress };
    const grandRes = await api.create(child, { name: unique("grandchild"), permissions: ["balance.read"] });
    const grandchild: Caller = { secret: grandRes.body.secret, address: tenAddress };
    expect(grandRes.body.parent_key_id).toBe(childRes.body.id);
    for (const k of [parent.caller, child, grandchild]) expect((await api.balance(k)).status).toBe(200);

    const owner = await makeKey(t, { name: unique("owner automation") });
    const res = await api.revoke({ secret: owner.secret }, parent.id);
    expect(res.status).toBe(200);

    const ids = [parent.id, childRes.body.id, grandRes.body.id];
    const rows = await t.db.select().from(apiKeys).where(inArray(apiKeys.id, ids));
    expect(rows.map((r) => r.revokedAt?.toISOString())).toEqual(rows.map(() => rows[0].revokedAt!.toISOString()));
    for (const k of [parent.caller, child, grandchild]) expectApiError(await api.balance(k), 401, "API_KEY_INACTIVE");

    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "key.revoke"), inArray(auditEvents.targetId, ids)));
    expect(events.map((e) => [e.targetId, e.changes.revokedWith?.after ?? null, e.actorKeyId]).sort()).toEqual(
      [
        [parent.id, null, owner.key.id],
        [childRes.body.id, parent.id, owner.key.id],
        [grandRes.body.id, parent.id, owner.key.id],
      ].sort(),
    );
  });

  it("revokes them when a person revokes the parent in the portal too", async () => {
    const parent = await restrictedKey();
    const childRes = await api.create(parent.caller, { name: unique("portal child"), permissions: ["balance.read"] });
    const ctx = await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
    expect((await keyActions.revoke({ db: t.db, context: ctx }, { id: parent.id })).ok).toBe(true);
    expectApiError(await api.balance({ secret: childRes.body.secret, address: tenAddress }), 401, "API_KEY_INACTIVE");
  });

  it("leaves the parent and siblings alone when a child is revoked", async () => {
    const parent = await restrictedKey();
    const a = (await api.create(parent.caller, { name: unique("a"), permissions: ["balance.read"] })).body;
    const b = (await api.create(parent.caller, { name: unique("b"), permissions: ["balance.read"] })).body;
    expect((await api.revoke(parent.caller, a.id)).status).toBe(200);
    expect((await api.balance(parent.caller)).status).toBe(200);
    expect((await api.balance({ secret: b.secret, address: tenAddress })).status).toBe(200);
  });
});

describe("postback_url through the keys API", () => {
  const PUBLIC_URL = "https://93.184.215.14/dlr";

  it("refuses a keys.write key without webhooks.write setting a postback_url on create or PATCH (403), and changes nothing", async () => {
    const writer = await makeKey(t, { name: unique("keys writer"), permissions: ["keys.write", "keys.read", "balance.read"] });
    const as = { secret: writer.secret };
    const create = await api.create(as, { name: unique("redirected"), permissions: ["balance.read"], postback_url: PUBLIC_URL });
    expectApiError(create, 403, "FORBIDDEN");
    expect(create.body.description).toMatch(/webhooks\.write/);

    const target = await makeKey(t, { name: unique("postback target"), permissions: ["balance.read"], postbackUrl: PUBLIC_URL });
    for (const postback_url of ["https://93.184.215.15/steal", null]) {
      expectApiError(await api.patch(as, target.key.id, { postback_url }), 403, "FORBIDDEN");
    }
    expect((await rowOf(target.key.id)).postbackUrl).toBe(PUBLIC_URL);
    // The same URL again is no change, and other fields stay editable.
    expect((await api.patch(as, target.key.id, { name: "renamed", postback_url: PUBLIC_URL })).status).toBe(200);
  });

  it("lets a key with keys.write and webhooks.write set a public postback URL", async () => {
    const writer = await makeKey(t, { name: unique("hooks writer"), permissions: ["keys.write", "webhooks.write", "balance.read"] });
    const res = await api.create(
      { secret: writer.secret },
      { name: unique("with postback"), permissions: ["balance.read"], postback_url: PUBLIC_URL },
    );
    expect(res.status).toBe(201);
    expect(res.body.postback_url).toBe(PUBLIC_URL);
  });

  it("refuses a postback URL into our own network when saved (400 INVALID_BODY), naming no address a name resolved to", async () => {
    const writer = await makeKey(t, { name: unique("ssrf probe"), permissions: ["keys.write", "webhooks.write", "balance.read"] });
    const as = { secret: writer.secret };
    const target = await makeKey(t, { name: unique("ssrf target"), permissions: ["balance.read"] });
    for (const url of ["http://localhost:8080/hook", "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/"]) {
      const created = await api.create(as, { name: unique("ssrf"), permissions: ["balance.read"], postback_url: url });
      expectApiError(created, 400, "INVALID_BODY");
      expect(created.body.description).toMatch(/^Postback URL refused: /);
      expectApiError(await api.patch(as, target.key.id, { postback_url: url }), 400, "INVALID_BODY");
    }
    const byName = await api.create(as, { name: unique("ssrf"), permissions: ["balance.read"], postback_url: "http://localhost/x" });
    expect(byName.body.description).toBe("Postback URL refused: localhost resolves to a loopback address");
    expect(byName.body.description).not.toMatch(/127\.0\.0\.1|::1/);
    expect((await rowOf(target.key.id)).postbackUrl).toBeNull();
  });

  it("shows the refusal by the Postback URL field of the portal's key form", async () => {
    const ctx = await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
    const result = await keyActions.create(
      { db: t.db, context: ctx },
      {
        name: unique("portal ssrf"),
        access: "restricted",
        permissions: ["sms.send"],
        offTheRecord: false,
        postbackUrl: "http://localhost:9000/internal",
        allowedCidrs: [],
        expiry: "never",
        expiresOn: "",
        testMode: false,
        hmac: false,
      },
    );
    expect(result).toEqual({
      ok: false,
      error: "Postback URL refused: localhost resolves to a loopback address",
      fieldErrors: { postbackUrl: "Postback URL refused: localhost resolves to a loopback address" },
    });
  });
});
