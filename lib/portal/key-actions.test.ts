/**
 * The keys page's server actions against a real database (Postgres when
 * DATABASE_URL is set, else PGlite), called exactly as the browser path calls
 * them: keyActions.x({ db, context }, rawFormValues).
 */
import { randomBytes } from "node:crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db";
import type { DemoSeed } from "@/db/seed";
import { apiKeys, auditEvents, memberships, organizations, users, workspaces, type ApiKeyRow } from "@/db/schema";
import type { ActionResult } from "@/lib/portal/define-action";
import { ROLE_CEILINGS, type NamedPermission, type Role } from "@/lib/permissions/catalog";
import { contextFor, type PortalContext } from "@/lib/workspaces/context";
import { toDriverParam } from "@/db/client";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { recordingDb } from "@/tests/sms";
import { keyActions } from "./key-actions";
import { decryptSecret } from "@/lib/keys/encryption";
import type { CreateKeyFormValues, EditKeyFormValues } from "@/lib/keys/form-schema";
import { hashSecretWithVersion } from "@/lib/keys/format";
import { KEY_NAME_MAX } from "@/lib/keys/schemas";
import { listKeys, type ListKeysQuery } from "@/lib/keys/service";
import { keyViewSchema, type KeyView } from "@/lib/keys/view";

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

// ---------------------------------------------------------------------------
// Helpers

const ctxAs = (role: Role, workspaceId = seed.mainWorkspaceId) => contextFor(db, seed.userIds[role], workspaceId);

function createValues(over: Partial<CreateKeyFormValues> = {}): CreateKeyFormValues {
  return {
    name: "Backend",
    access: "restricted",
    permissions: ["sms.send", "sms.read"],
    offTheRecord: false,
    postbackUrl: "",
    allowedCidrs: [],
    expiry: "never",
    expiresOn: "",
    testMode: true,
    hmac: false,
    ...over,
  };
}

/** What the edit form submits for a key the user leaves as it is, plus `over`. */
function editValues(key: KeyView, over: Partial<EditKeyFormValues> = {}): EditKeyFormValues {
  const full = key.permissions.includes("*");
  return {
    id: key.id,
    name: key.name,
    access: full ? "full" : "restricted",
    permissions: full ? [] : (key.permissions as NamedPermission[]),
    offTheRecord: key.offTheRecord,
    postbackUrl: key.postbackUrl ?? "",
    allowedCidrs: key.allowedCidrs.map((value) => ({ value })),
    expiry: "keep",
    expiresOn: "",
    ...over,
  };
}

function okData<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got "${result.error}" ${JSON.stringify(result.fieldErrors ?? {})}`);
  return result.data;
}

function refusal(result: ActionResult<unknown>): { error: string; fieldErrors?: Record<string, string> } {
  if (result.ok) throw new Error(`expected a refusal, got ok: ${JSON.stringify(result.data)}`);
  return result;
}

async function create(context: PortalContext, over: Partial<CreateKeyFormValues> = {}) {
  return okData(await keyActions.create({ db, context }, createValues(over)));
}

async function rowOf(id: string): Promise<ApiKeyRow> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

const auditOf = (id: string) => db.select().from(auditEvents).where(eq(auditEvents.targetId, id)).orderBy(asc(auditEvents.id));

async function counts() {
  const [[keys], [audit]] = await Promise.all([db.select({ n: count() }).from(apiKeys), db.select({ n: count() }).from(auditEvents)]);
  return { keys: keys.n, audit: audit.n };
}

/** Every change action, aimed at one key id, each as the browser would send it. */
function everyChange(context: PortalContext, key: KeyView) {
  const env = { db, context };
  return {
    update: () => keyActions.update(env, editValues(key, { name: "Taken over", access: "restricted", permissions: ["sms.send"] })),
    disable: () => keyActions.setEnabled(env, { id: key.id, enabled: false }),
    roll: () => keyActions.roll(env, { id: key.id, graceSeconds: 3600 }),
    revoke: () => keyActions.revoke(env, { id: key.id }),
  };
}

async function expectEveryChangeRefused(context: PortalContext, key: KeyView, message: RegExp) {
  const before = await rowOf(key.id);
  const auditBefore = await auditOf(key.id);
  for (const [name, run] of Object.entries(everyChange(context, key))) {
    const result = refusal(await run());
    expect(result.error, name).toMatch(message);
  }
  expect(await rowOf(key.id)).toEqual(before);
  expect(await auditOf(key.id)).toEqual(auditBefore);
}

// ---------------------------------------------------------------------------

describe("creating a key", () => {
  it("shows the secret and signing secret once and stores neither in plain text", async () => {
    const created = await create(await ctxAs("owner"), { hmac: true });
    expect(created.secret).toMatch(/^sk_test_/);
    expect(created.signingSecret).toMatch(/^sksig_/);

    const row = await rowOf(created.key.id);
    const [{ json }] = await db
      .select({ json: sql<string>`row_to_json(${apiKeys})::text` })
      .from(apiKeys)
      .where(eq(apiKeys.id, created.key.id));
    for (const secret of [created.secret, created.signingSecret!]) {
      expect(json).not.toContain(secret);
      expect(json).not.toContain(secret.slice(secret.indexOf("_", 3) + 1)); // the random part alone
    }
    expect(row.signingSecretEncrypted).not.toBe(created.signingSecret);
    // What is stored still verifies: the hash matches the secret, the ciphertext opens for this key only.
    expect(row.hash).toBe(hashSecretWithVersion(created.secret, row.hashVersion));
    expect(decryptSecret(row.signingSecretEncrypted!, created.key.id)).toBe(created.signingSecret);
  });

  it("returns exactly the key view's fields: no hash, ciphertext or other column", async () => {
    const created = await create(await ctxAs("owner"), { hmac: true });
    expect(Object.keys(created.key).sort()).toEqual(Object.keys(keyViewSchema.shape).sort());
    expect(created.key).toMatchObject({ mode: "test", hmac: true, permissions: ["sms.send", "sms.read"], status: "active" });
    expect(JSON.stringify(created.key)).not.toContain((await rowOf(created.key.id)).hash);
  });

  it("records exactly one key.create event with actor, address and the new values, and no secret", async () => {
    const context = await ctxAs("owner");
    const created = await create(context, { name: "Audited", hmac: true, allowedCidrs: [{ value: "10.1.2.3/8" }] });
    const events = await auditOf(created.key.id);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      action: "key.create",
      targetType: "api_key",
      actorUserId: seed.userIds.owner,
      organizationId: seed.organizationId,
      workspaceId: seed.mainWorkspaceId,
      address: "127.0.0.1",
    });
    expect(event.changes).toMatchObject({
      name: { before: null, after: "Audited" },
      mode: { before: null, after: "test" },
      permissions: { before: null, after: ["sms.send", "sms.read"] },
      hmac: { before: null, after: true },
      allowedCidrs: { before: null, after: ["10.0.0.0/8"] },
    });
    const text = JSON.stringify(event);
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain(created.signingSecret!);
    expect(text).not.toContain((await rowOf(created.key.id)).hash);
  });

  it("stores full access as the single permission *", async () => {
    const created = await create(await ctxAs("owner"), { access: "full", permissions: [] });
    expect(created.key.permissions).toEqual(["*"]);
    expect((await rowOf(created.key.id)).permissions).toEqual(["*"]);
  });

  it("creates a live key when test mode is off", async () => {
    const created = await create(await ctxAs("owner"), { testMode: false });
    expect(created.secret).toMatch(/^sk_prod_/);
    expect(created.key.mode).toBe("live");
  });

  const refusals: Array<{ label: string; values: Partial<CreateKeyFormValues>; field: string; message: RegExp }> = [
    { label: "an empty name", values: { name: "" }, field: "name", message: /required/ },
    { label: "a blank name", values: { name: "   " }, field: "name", message: /required/ },
    { label: "a 201-character name", values: { name: "x".repeat(201) }, field: "name", message: /at most/ },
    { label: "a name one past the limit", values: { name: "x".repeat(KEY_NAME_MAX + 1) }, field: "name", message: /at most/ },
    {
      label: "CIDR 10.0.0.0/33",
      values: { allowedCidrs: [{ value: "10.0.0.0/33" }] },
      field: "allowedCidrs.0.value",
      message: /prefix length/,
    },
    { label: "CIDR ::1/129", values: { allowedCidrs: [{ value: "::1/129" }] }, field: "allowedCidrs.0.value", message: /prefix length/ },
    {
      label: "CIDR abc",
      values: { allowedCidrs: [{ value: "10.0.0.0/8" }, { value: "abc" }] },
      field: "allowedCidrs.1.value",
      message: /not an IPv4/,
    },
    { label: "postback ftp://x", values: { postbackUrl: "ftp://x" }, field: "postbackUrl", message: /http or https/ },
    { label: "a custom expiry in the past", values: { expiry: "custom", expiresOn: "2020-01-01" }, field: "expiresOn", message: /future/ },
    {
      label: "a custom expiry that is not a date",
      values: { expiry: "custom", expiresOn: "2030-02-30" },
      field: "expiresOn",
      message: /date/,
    },
    {
      label: "unknown permission sms.delete",
      values: { permissions: ["sms.send", "sms.delete" as NamedPermission] },
      field: "permissions",
      message: /Unknown permission: sms.delete/,
    },
    { label: "restricted access with no permissions", values: { permissions: [] }, field: "permissions", message: /at least one/ },
  ];

  it.each(refusals)("refuses $label with a message on $field and writes nothing", async ({ values, field, message }) => {
    const before = await counts();
    const result = refusal(await keyActions.create({ db, context: await ctxAs("owner") }, createValues(values)));
    expect(result.fieldErrors?.[field]).toMatch(message);
    expect(await counts()).toEqual(before);
  });
});

describe("role ceilings on create", () => {
  it("refuses a developer a permission beyond their role (payments.read) on the permissions field", async () => {
    const before = await counts();
    const result = refusal(
      await keyActions.create({ db, context: await ctxAs("developer") }, createValues({ permissions: ["payments.read"] })),
    );
    expect(result.fieldErrors?.permissions).toMatch(/payments\.read/);
    expect(await counts()).toEqual(before);
  });

  it("refuses a developer a full-access key", async () => {
    const before = await counts();
    const result = refusal(
      await keyActions.create({ db, context: await ctxAs("developer") }, createValues({ access: "full", permissions: [] })),
    );
    expect(result.fieldErrors?.permissions).toMatch(/full access/);
    expect(await counts()).toEqual(before);
  });

  it("lets a developer create a key within their role (sms.send)", async () => {
    const created = await create(await ctxAs("developer"), { permissions: ["sms.send"] });
    expect(created.key.permissions).toEqual(["sms.send"]);
    expect(created.key.createdBy).toEqual({ id: seed.userIds.developer, name: "Dana Developer" });
  });

  it("lets a billing member create a balance.read key", async () => {
    const created = await create(await ctxAs("billing"), { permissions: ["balance.read"] });
    expect(created.key.permissions).toEqual(["balance.read"]);
  });

  it("refuses a viewer by role (no keys.page right) and writes nothing", async () => {
    const before = await counts();
    const result = refusal(await keyActions.create({ db, context: await ctxAs("viewer") }, createValues()));
    expect(result.error).toBe("Your role does not allow this.");
    expect(await counts()).toEqual(before);
  });

  it("refuses a missing session", async () => {
    const result = refusal(await keyActions.create({ db, context: null }, createValues()));
    expect(result.error).toMatch(/session/);
  });
});

describe("editing a key", () => {
  it("records a rename as key.update with before/after of the name only", async () => {
    const context = await ctxAs("owner");
    const created = await create(context, {
      name: "Old name",
      allowedCidrs: [{ value: "10.0.0.0/8" }],
      postbackUrl: "https://example.com/hook",
    });
    const updated = okData(await keyActions.update({ db, context }, editValues(created.key, { name: "New name" })));
    expect(updated.name).toBe("New name");
    expect((await rowOf(created.key.id)).name).toBe("New name");

    const events = await auditOf(created.key.id);
    expect(events.map((e) => e.action)).toEqual(["key.create", "key.update"]);
    expect(events[1].changes).toEqual({ name: { before: "Old name", after: "New name" } });
  });

  it("writes no audit event when nothing changed", async () => {
    const context = await ctxAs("owner");
    const created = await create(context);
    okData(await keyActions.update({ db, context }, editValues(created.key)));
    expect((await auditOf(created.key.id)).map((e) => e.action)).toEqual(["key.create"]);
  });

  it("hides an owner's full-access key from a developer: every change is Key not found", async () => {
    const created = await create(await ctxAs("owner"), { access: "full", permissions: [] });
    await expectEveryChangeRefused(await ctxAs("developer"), created.key, /^Key not found$/);
  });

  it("refuses a developer widening their own key to payments.read and leaves it unchanged", async () => {
    const context = await ctxAs("developer");
    const created = await create(context, { permissions: ["sms.send"] });
    const before = await rowOf(created.key.id);
    const result = refusal(
      await keyActions.update({ db, context }, editValues(created.key, { permissions: ["sms.send", "payments.read"] })),
    );
    expect(result.fieldErrors?.permissions).toMatch(/payments\.read/);
    expect(await rowOf(created.key.id)).toEqual(before);
    expect(await auditOf(created.key.id)).toHaveLength(1);
  });
});

describe("workspace isolation", () => {
  it("refuses every change to a Main key from a Staging context as Key not found, leaving it unchanged", async () => {
    const created = await create(await ctxAs("owner"));
    await expectEveryChangeRefused(await ctxAs("owner", seed.stagingWorkspaceId), created.key, /^Key not found$/);
  });

  it("refuses every change to Acme's key from another organization's owner as Key not found", async () => {
    const [org] = await db.insert(organizations).values({ name: "Globex" }).returning();
    const [workspace] = await db.insert(workspaces).values({ organizationId: org.id, name: "Main", isMain: true }).returning();
    const [user] = await db
      .insert(users)
      .values({ email: "owner@globex.test", name: "Gary Globex", passwordHash: "not-a-real-hash" })
      .returning();
    await db.insert(memberships).values({ userId: user.id, organizationId: org.id, role: "owner" });
    const intruder = await contextFor(db, user.id, workspace.id);

    const created = await create(await ctxAs("owner"));
    await expectEveryChangeRefused(intruder, created.key, /^Key not found$/);
    // Nor can the intruder claim Acme's workspace by asking for it.
    await expect(contextFor(db, user.id, seed.mainWorkspaceId)).rejects.toThrow(/not a member/);
  });
});

describe("enabling, rolling and revoking", () => {
  it("records disabling and enabling as key.disable and key.enable", async () => {
    const context = await ctxAs("owner");
    const created = await create(context);
    const disabled = okData(await keyActions.setEnabled({ db, context }, { id: created.key.id, enabled: false }));
    expect(disabled.status).toBe("disabled");
    const enabled = okData(await keyActions.setEnabled({ db, context }, { id: created.key.id, enabled: true }));
    expect(enabled.status).toBe("active");

    const events = await auditOf(created.key.id);
    expect(events.map((e) => e.action)).toEqual(["key.create", "key.disable", "key.enable"]);
    expect(events[1].changes).toEqual({ enabled: { before: true, after: false } });
  });

  it("rolling with a 1-hour grace returns a new secret and keeps the old one working for an hour", async () => {
    const context = await ctxAs("owner");
    const created = await create(context, { hmac: true });
    const before = await rowOf(created.key.id);

    const rolled = okData(await keyActions.roll({ db, context }, { id: created.key.id, graceSeconds: 3600 }));
    expect(rolled.secret).toMatch(/^sk_test_/);
    expect(rolled.secret).not.toBe(created.secret);
    expect(rolled.signingSecret).toMatch(/^sksig_/);
    expect(rolled.signingSecret).not.toBe(created.signingSecret);

    const after = await rowOf(created.key.id);
    expect(after.hash).toBe(hashSecretWithVersion(rolled.secret, after.hashVersion));
    expect(after.previousHash).toBe(before.hash);
    expect(Math.abs(after.previousExpiresAt!.getTime() - (Date.now() + 3600_000))).toBeLessThan(60_000);
    expect(after.previousSigningSecretEncrypted).toBe(before.signingSecretEncrypted);
    expect(decryptSecret(after.signingSecretEncrypted!, created.key.id)).toBe(rolled.signingSecret);
    expect(rolled.key.previousSecretExpiresAt).toBe(after.previousExpiresAt!.toISOString());

    const events = await auditOf(created.key.id);
    expect(events.map((e) => e.action)).toEqual(["key.create", "key.roll"]);
    const text = JSON.stringify(events[1]);
    for (const secret of [created.secret, rolled.secret, created.signingSecret!, rolled.signingSecret!]) {
      expect(text).not.toContain(secret);
    }
  });

  it("rolling with no grace ends the old secret at once", async () => {
    const context = await ctxAs("owner");
    const created = await create(context);
    okData(await keyActions.roll({ db, context }, { id: created.key.id, graceSeconds: 3600 }));
    okData(await keyActions.roll({ db, context }, { id: created.key.id, graceSeconds: 0 }));
    const row = await rowOf(created.key.id);
    expect(row.previousHash).toBeNull();
    expect(row.previousExpiresAt).toBeNull();
  });

  it("refuses a grace period that is not one of the choices (5 seconds)", async () => {
    const context = await ctxAs("owner");
    const created = await create(context);
    const before = await rowOf(created.key.id);
    const result = refusal(await keyActions.roll({ db, context }, { id: created.key.id, graceSeconds: 5 }));
    expect(result.fieldErrors?.graceSeconds).toMatch(/Choose/);
    expect(await rowOf(created.key.id)).toEqual(before);
  });

  it("revoking is final: the key is revoked, its grace ends, and it cannot be changed or revoked again", async () => {
    const context = await ctxAs("owner");
    const created = await create(context);
    okData(await keyActions.roll({ db, context }, { id: created.key.id, graceSeconds: 3600 }));
    const revoked = okData(await keyActions.revoke({ db, context }, { id: created.key.id }));
    expect(revoked.status).toBe("revoked");
    const row = await rowOf(created.key.id);
    expect(row.revokedAt).not.toBeNull();
    expect(row.previousHash).toBeNull();
    expect((await auditOf(created.key.id)).map((e) => e.action)).toEqual(["key.create", "key.roll", "key.revoke"]);

    await expectEveryChangeRefused(context, revoked, /revoked/);
  });
});

describe("audit atomicity", () => {
  /** Makes every audit insert fail inside the database while `run` runs. */
  async function withAuditFailing(run: () => Promise<void>) {
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
      await run();
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
      await db.execute(sql.raw(`DROP TRIGGER test_refuse_audit ON audit_events`));
      await db.execute(sql.raw(`DROP FUNCTION test_refuse_audit()`));
    }
  }

  it("leaves a key unchanged when its audit event cannot be written", async () => {
    const context = await ctxAs("owner");
    const created = await create(context);
    const before = await rowOf(created.key.id);
    await withAuditFailing(async () => {
      const result = refusal(await keyActions.update({ db, context }, editValues(created.key, { name: "Never saved" })));
      expect(result.error).toMatch(/^Something went wrong/);
      expect(result.error).not.toContain("audit store unavailable");
    });
    expect(await rowOf(created.key.id)).toEqual(before);
    expect(await auditOf(created.key.id)).toHaveLength(1);
  });

  it("creates no key when its audit event cannot be written", async () => {
    const context = await ctxAs("owner");
    const before = await counts();
    await withAuditFailing(async () => {
      const result = refusal(await keyActions.create({ db, context }, createValues({ name: "Never created" })));
      expect(result.error).toMatch(/^Something went wrong/);
    });
    expect(await counts()).toEqual(before);
  });
});

describe("listKeys over 10,000 keys", () => {
  const TOTAL = 10_000;
  const PAGE = 20;
  // Every tenth key holds payments.read (beyond a developer's role); names sort the same bytewise and by collation.
  const nameOf = (i: number) => (i % 10 === 0 ? `Billing export ${String(i).padStart(5, "0")}` : `Backend ${String(i).padStart(5, "0")}`);
  const names = Array.from({ length: TOTAL }, (_, i) => nameOf(i));
  const sorted = [...names].sort();
  const query = (q: Partial<ListKeysQuery> = {}): ListKeysQuery => ({ page: 1, pageSize: PAGE, sort: "name", dir: "asc", q: "", ...q });

  beforeAll(async () => {
    for (let chunk = 0; chunk < TOTAL / 1000; chunk++) {
      await db.insert(apiKeys).values(
        Array.from({ length: 1000 }, (_, j) => {
          const i = chunk * 1000 + j;
          return {
            id: `key_bulk${i}`,
            workspaceId: seed.stagingWorkspaceId,
            name: nameOf(i),
            mode: "test" as const,
            hash: randomBytes(32).toString("hex"),
            hashVersion: 1,
            start: "sk_test_bulk",
            last4: String(i % 10_000).padStart(4, "0"),
            permissions: i % 10 === 0 ? ["payments.read" as const] : ["sms.send" as const],
            createdBy: seed.userIds.owner,
          };
        }),
      );
    }
    const [{ n }] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.workspaceId, seed.stagingWorkspaceId));
    expect(n).toBe(TOTAL);
  }, 120_000);

  it("returns page 1 of 20 rows with the total of 10,000", async () => {
    const page = await listKeys(db, await ctxAs("owner", seed.stagingWorkspaceId), query());
    expect(page.rows).toHaveLength(PAGE);
    expect(page).toMatchObject({ total: TOTAL, page: 1, pageSize: PAGE, pageCount: TOTAL / PAGE });
    for (const row of page.rows) expect(keyViewSchema.safeParse(row).success).toBe(true);
  });

  it("returns the last 20 keys on page 500 and nothing past it", async () => {
    const context = await ctxAs("owner", seed.stagingWorkspaceId);
    const last = await listKeys(db, context, query({ page: 500 }));
    expect(last.rows.map((r) => r.name)).toEqual(sorted.slice(TOTAL - PAGE));
    expect((await listKeys(db, context, query({ page: 501 }))).rows).toEqual([]);
  });

  it("filters by a case-insensitive name substring and reports the filtered total", async () => {
    const context = await ctxAs("owner", seed.stagingWorkspaceId);
    const billing = await listKeys(db, context, query({ q: "BILLING" }));
    expect(billing.total).toBe(TOTAL / 10);
    expect(billing.rows.every((r) => r.name.startsWith("Billing export"))).toBe(true);

    const narrow = await listKeys(db, context, query({ q: "0123" }));
    expect(narrow.total).toBe(names.filter((n) => n.includes("0123")).length);
    expect(narrow.rows.map((r) => r.name)).toEqual(sorted.filter((n) => n.includes("0123")).slice(0, PAGE));
  });

  it("finds a filter's keys through the trigram index on name, not by reading every key of the workspace", async () => {
    await db.execute(sql`vacuum analyze api_keys`);
    const recording = recordingDb(testDb);
    await listKeys(recording.db, await ctxAs("owner", seed.stagingWorkspaceId), query({ q: "0123" }));
    const filtered = recording.statements.filter((s) => /ilike/i.test(s.query));
    expect(filtered).toHaveLength(2); // the page and the total
    for (const { query: text, params } of filtered) {
      const plan = (await testDb.database.query(`explain ${text}`, params.map(toDriverParam))).rows
        .map((r) => String(Object.values(r)[0]))
        .join("\n");
      expect(plan, text).toContain("api_keys_name_trgm");
    }
  });

  it("treats % and _ in the filter as literal characters", async () => {
    const context = await ctxAs("owner", seed.stagingWorkspaceId);
    expect((await listKeys(db, context, query({ q: "%" }))).total).toBe(0);
    expect((await listKeys(db, context, query({ q: "_" }))).total).toBe(0);
  });

  it("sorts by name ascending and descending", async () => {
    const context = await ctxAs("owner", seed.stagingWorkspaceId);
    const asc = await listKeys(db, context, query({ dir: "asc" }));
    expect(asc.rows.map((r) => r.name)).toEqual(sorted.slice(0, PAGE));
    const desc = await listKeys(db, context, query({ dir: "desc" }));
    expect(desc.rows.map((r) => r.name)).toEqual([...sorted].reverse().slice(0, PAGE));
    const descPage2 = await listKeys(db, context, query({ dir: "desc", page: 2 }));
    expect(descPage2.rows.map((r) => r.name)).toEqual([...sorted].reverse().slice(PAGE, 2 * PAGE));
  });

  it("pages keys with equal sort values without repeating or skipping any", async () => {
    // Every bulk key has the same created_at (one statement per 1,000): the id breaks ties.
    const context = await ctxAs("owner", seed.stagingWorkspaceId);
    const ids: string[] = [];
    for (let page = 1; page <= 5; page++) {
      ids.push(...(await listKeys(db, context, query({ sort: "createdAt", dir: "desc", page }))).rows.map((r) => r.id));
    }
    expect(new Set(ids).size).toBe(5 * PAGE);
  });

  it("shows a developer only the keys within their role", async () => {
    const context = await ctxAs("developer", seed.stagingWorkspaceId);
    const page = await listKeys(db, context, query({ pageSize: 100 }));
    expect(page.total).toBe(TOTAL - TOTAL / 10);
    const ceiling = ROLE_CEILINGS.developer;
    for (const row of page.rows) expect(row.permissions.every((p) => ceiling.includes(p))).toBe(true);
    expect((await listKeys(db, context, query({ q: "billing" }))).total).toBe(0);
    // The same keys, asked for one by one, are not found either.
    const hidden = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, seed.stagingWorkspaceId), sql`${apiKeys.permissions} @> ARRAY['payments.read']::text[]`))
      .limit(1);
    const result = refusal(await keyActions.revoke({ db, context }, { id: hidden[0].id }));
    expect(result.error).toBe("Key not found");
  });
});
