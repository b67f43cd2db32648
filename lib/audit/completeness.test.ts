/**
 * Audit completeness: every service mutation writes exactly one audit event.
 *
 * The mutations are found in the source, not listed by hand: the scan
 * (tests/audit-scan.ts) finds every exported function under lib/ that takes an
 * ActorContext/PortalContext and writes to the database, or that writes audit
 * events. Each must be registered in tests/audit-mutations.ts with cases that
 * call it for real (Postgres or PGlite, seeded) — and each case must write
 * exactly one event, of the catalog's action it names, with no secret in it.
 * A new mutation without a case, or without its audit event, fails here.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gt, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { contextFor } from "@/lib/workspaces/context";
import { findMutations, sourceFiles } from "@/tests/audit-scan";
import { MUTATION_CASES, NOT_AUDITED, type MutationHarness } from "@/tests/audit-mutations";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { AUDIT_ACTION_NAMES } from "./actions";

const ROOT = path.resolve(import.meta.dirname, "../..");
const found = findMutations(ROOT, sourceFiles(ROOT, "lib"));
const REGISTER = "tests/audit-mutations.ts";

describe("the scan for mutations", () => {
  it("finds a new mutation that takes a context and writes, directly or through a helper, and nothing else", () => {
    const root = mkdtempSync(path.join(tmpdir(), "audit-scan-"));
    mkdirSync(path.join(root, "lib/things"), { recursive: true });
    writeFileSync(
      path.join(root, "lib/things/helpers.ts"),
      `export async function insertThing(tx, name: string) { await tx.insert(things).values({ name }); }\n`,
    );
    writeFileSync(
      path.join(root, "lib/things/service.ts"),
      [
        `import type { ActorContext } from "@/lib/context/actor";`,
        `import { insertThing } from "./helpers";`,
        `export async function createThing(db: Db, ctx: ActorContext, name: string) { return db.transaction((tx) => insertThing(tx, name)); }`,
        `export async function renameThing(db: Db, ctx: ActorContext) { await db.update(things).set({ name: "x" }); }`,
        `export const deleteThing = async (db: Db, ctx: ActorContext) => { await db.delete(things); };`,
        `export async function listThings(db: Db, ctx: ActorContext) { return db.select().from(things); }`,
        `export function fingerprint(ctx: ActorContext) { return createHash("sha256").update(String(ctx.workspaceId)).digest("hex"); }`,
        `export async function purgeThings(db: Db) { await db.delete(things); }`,
        `export async function noteSomething(db: Db) { await recordAuditIn(db, scope, entry); }`,
      ].join("\n"),
    );
    expect(findMutations(root, sourceFiles(root, "lib"))).toEqual([
      "lib/things/service.ts#createThing",
      "lib/things/service.ts#deleteThing",
      "lib/things/service.ts#noteSomething",
      "lib/things/service.ts#renameThing",
    ]);
  });

  it("finds the mutations this codebase is known to have", () => {
    expect(found).toEqual(
      expect.arrayContaining([
        "lib/keys/service.ts#createKey",
        "lib/keys/service.ts#revokeKey",
        "lib/webhooks/settings.ts#updateWebhookSettings",
        "lib/workspaces/settings.ts#updateWorkspaceSettings",
        "lib/auth/sign-in.ts#signInWithPassword",
      ]),
    );
  });
});

describe("the register of mutations", () => {
  it("has every mutation the scan finds", () => {
    const missing = found.filter((id) => !(id in MUTATION_CASES) && !(id in NOT_AUDITED));
    expect(
      missing,
      `These functions change data but have no audit case. For each: record its one audit event with recordAudit (action in ` +
        `lib/audit/actions.ts) in the same transaction as the change, and add a case under its id in ${REGISTER} ` +
        `(MUTATION_CASES; or NOT_AUDITED with the reason): ${missing.join(", ")}`,
    ).toEqual([]);
  });

  it("names only functions that exist and are mutations", () => {
    const stale = [...Object.keys(MUTATION_CASES), ...Object.keys(NOT_AUDITED)].filter((id) => !found.includes(id));
    expect(stale, `${REGISTER} names functions the scan no longer finds as mutations (renamed or removed?): ${stale.join(", ")}`).toEqual(
      [],
    );
  });

  it("gives a reason for every function that writes no audit event, and has at least one case for every other", () => {
    for (const [id, reason] of Object.entries(NOT_AUDITED)) expect(reason.trim(), id).not.toBe("");
    for (const [id, cases] of Object.entries(MUTATION_CASES)) expect(cases.length, `${id} has no case in ${REGISTER}`).toBeGreaterThan(0);
  });

  it("exercises every action of the catalog", () => {
    const exercised = new Set(Object.values(MUTATION_CASES).flatMap((cases) => cases.map((c) => c.action)));
    const unexercised = AUDIT_ACTION_NAMES.filter((a) => !exercised.has(a));
    expect(unexercised, `Actions in lib/audit/actions.ts that no case in ${REGISTER} writes: ${unexercised.join(", ")}`).toEqual([]);
  });
});

describe("every registered mutation, called for real", () => {
  let t: TestDatabase;
  let h: MutationHarness;

  beforeAll(async () => {
    t = await createTestDatabase();
    const as = (role: keyof typeof t.seed.userIds) => contextFor(t.db, t.seed.userIds[role], t.seed.mainWorkspaceId, "203.0.113.7");
    h = { db: t.db, database: t.database, seed: t.seed, owner: await as("owner"), as };
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const [id, cases] of Object.entries(MUTATION_CASES)) {
    for (const c of cases) {
      it(`${id}: ${c.name} writes exactly one "${c.action}" event, with no secret in it`, async () => {
        const state = c.prepare ? await c.prepare(h) : undefined;
        const [{ last }] = await t.db.select({ last: max(auditEvents.id) }).from(auditEvents);
        const result = await c.run(h, state);
        const written = await t.db
          .select()
          .from(auditEvents)
          .where(gt(auditEvents.id, last ?? 0));
        expect(
          written.map((e) => e.action),
          `${id} (${c.name}) must write exactly one audit event, "${c.action}": call recordAudit once in its transaction`,
        ).toEqual([c.action]);
        const [event] = written;
        expect(event.organizationId, `${id} (${c.name}) wrote its event in another organization`).toBe(
          c.organizationOf ? c.organizationOf(result) : t.seed.organizationId,
        );
        const stored = JSON.stringify(event);
        for (const secret of [...(c.secrets ?? []), ...secretsIn(result)]) {
          expect(stored.includes(secret), `the audit event of ${id} contains a secret`).toBe(false);
        }
      });
    }
  }
});

/** Strings a call returned under a name that says secret, password, token, hash or code (recovery codes). */
function secretsIn(value: unknown, name = ""): string[] {
  if (typeof value === "string")
    return /secret|password|token|hash|code/i.test(name) && !/At$/.test(name) && value.length >= 8 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => secretsIn(v, name));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => secretsIn(v, k));
  return [];
}
