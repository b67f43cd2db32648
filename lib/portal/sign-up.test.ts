import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, memberships, organizations, users, workspaces } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { SIGN_UP_CLOSED, SIGN_UP_LIMIT, SIGN_UP_REFUSED } from "@/lib/auth/sign-up";
import { contextFor } from "@/lib/workspaces/context";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { signUpAction } from "./sign-up";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  delete process.env.SIGNUP_ENABLED;
});

const password = "copper kettle orbit lantern";
let n = 0;
/** Each call from its own address unless told: the limit per address is tested on its own. */
const signUp = (input: Record<string, unknown>, address = `198.51.100.${++n}`) => signUpAction({ db: t.db, address }, input);
const form = (email: string, overrides: Record<string, unknown> = {}) => ({
  name: "Dana Whitfield",
  email,
  password,
  organization: "Northwind",
  ...overrides,
});
const countOf = async (table: typeof users | typeof organizations | typeof workspaces | typeof memberships) =>
  (await t.db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n;

describe("sign-up", () => {
  it("creates the organization, its main workspace with a zero balance, and the person as Owner, with one audit event", async () => {
    const result = await signUp(form(" Dana@Northwind.TEST "));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [user] = await t.db.select().from(users).where(eq(users.id, result.data.userId));
    expect(user.email).toBe("dana@northwind.test");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await authenticate(t.db, "DANA@northwind.test", password)).toMatchObject({ id: user.id });

    const [org] = await t.db.select().from(organizations).where(eq(organizations.id, result.data.organizationId));
    expect(org.name).toBe("Northwind");
    const spaces = await t.db.select().from(workspaces).where(eq(workspaces.organizationId, org.id));
    expect(spaces).toHaveLength(1);
    expect(spaces[0]).toMatchObject({ isMain: true, name: "Main" });
    expect(Number(spaces[0].balance)).toBe(0);

    const context = await contextFor(t.db, user.id, spaces[0].id);
    expect(context.role).toBe("owner");
    expect(context.organization).toEqual({ id: org.id, name: "Northwind" });

    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.organizationId, org.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "organization.create", actorUserId: user.id, targetType: "organization" });
    expect(JSON.stringify(events[0])).not.toContain(password);
  });

  it("refuses an email that has an account, whatever its case, without saying it is taken, and writes nothing", async () => {
    const before = await Promise.all([countOf(users), countOf(organizations), countOf(workspaces), countOf(memberships)]);
    for (const email of ["owner@acme.test", "OWNER@Acme.Test"]) {
      const result = await signUp(form(email, { organization: "Squatters" }));
      expect(result).toEqual({ ok: false, error: SIGN_UP_REFUSED });
    }
    expect(await Promise.all([countOf(users), countOf(organizations), countOf(workspaces), countOf(memberships)])).toEqual(before);
    // Two at once for one new email: exactly one account.
    const results = await Promise.all([signUp(form("twice@northwind.test")), signUp(form("twice@northwind.test"))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: SIGN_UP_REFUSED });
  });

  it("stores nothing when any step fails: the organization, workspace, membership and person land together or not at all", async () => {
    const before = await Promise.all([countOf(users), countOf(organizations), countOf(workspaces), countOf(memberships)]);
    // The last write (the audit event) fails.
    await t.db.execute(sql`CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$`);
    await t.db.execute(sql`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()`);
    const logged: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void logged.push(String(line)));
    try {
      const result = await signUp(form("atomic@northwind.test"));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^Something went wrong \(reference /);
      // Logged with its reference, without the password or its hash.
      expect(logged.join("\n")).toContain("injected");
      expect(logged.join("\n")).not.toMatch(/argon2|copper kettle/);
    } finally {
      spy.mockRestore();
      await t.db.execute(sql`DROP TRIGGER fail_audit ON audit_events`);
      await t.db.execute(sql`DROP FUNCTION fail_audit()`);
    }
    expect(await Promise.all([countOf(users), countOf(organizations), countOf(workspaces), countOf(memberships)])).toEqual(before);
    // And the email is free to sign up afterwards.
    expect((await signUp(form("atomic@northwind.test"))).ok).toBe(true);
  });

  it("answers a weak or personal password and other bad input by the field, on the server", async () => {
    const weak = await signUp(form("weak@northwind.test", { password: "password1234" }));
    expect(weak.ok).toBe(false);
    if (!weak.ok) expect(weak.fieldErrors?.password).toMatch(/too easy to guess/);

    const personal = await signUp(form("weak@northwind.test", { password: "whitfield kettle orbit" }));
    if (!personal.ok) expect(personal.fieldErrors).toEqual({ password: "Do not use your name or email address in your password." });

    const bad = await signUp({ name: "", email: "nope", password: "short", organization: "x".repeat(101) });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["email", "name", "organization", "password"]);
    expect(await t.db.select().from(users).where(eq(users.email, "weak@northwind.test"))).toHaveLength(0);
  });

  it("is refused, with a message and nothing written, when SIGNUP_ENABLED=false", async () => {
    for (const value of ["false", "FALSE", "0", "off"]) {
      process.env.SIGNUP_ENABLED = value;
      expect(await signUp(form(`closed-${value}@northwind.test`))).toEqual({ ok: false, error: SIGN_UP_CLOSED });
    }
    expect(
      await t.db
        .select()
        .from(users)
        .where(sql`${users.email} LIKE 'closed-%'`),
    ).toHaveLength(0);
    process.env.SIGNUP_ENABLED = "true";
    expect((await signUp(form("open@northwind.test"))).ok).toBe(true);
  });

  it(`allows ${SIGN_UP_LIMIT.points} sign-ups per address an hour, taken emails included, then refuses that address only`, async () => {
    const address = "203.0.113.50";
    for (let i = 0; i < SIGN_UP_LIMIT.points; i++) {
      // Probing taken emails counts as much as creating accounts.
      const result = await signUp(i % 2 ? form(`limit-${i}@northwind.test`) : form("owner@acme.test"), address);
      expect(result.ok ? "created" : result.error).toBe(i % 2 ? "created" : SIGN_UP_REFUSED);
    }
    const refused = await signUp(form("limit-over@northwind.test"), address);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatch(/^Too many sign-ups from your address\. Try again in \d+ minutes?\.$/);
    expect(await t.db.select().from(users).where(eq(users.email, "limit-over@northwind.test"))).toHaveLength(0);
    expect((await signUp(form("limit-over@northwind.test"), "203.0.113.51")).ok).toBe(true);
  });
});
