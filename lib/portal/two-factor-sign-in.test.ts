/**
 * Sign-in with two-factor sign-in on, through every entry point: the portal's
 * form (two steps) and next-auth's own credentials callback (which can never get
 * past the password step), against a real database.
 */
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { installDatabase } from "@/db";
import { sessions, userTwoFactor } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { totpCodeAt } from "@/lib/auth/totp";
import { confirmTwoFactorSetup, getTwoFactorView, setTwoFactorRequirement, startTwoFactorSetup } from "@/lib/auth/two-factor";
import { decryptSecret } from "@/lib/keys/encryption";
import { CLIENT_ADDRESS_HEADER } from "@/lib/net/client-address";
import { signInAction, type SignInState } from "@/lib/portal/server-actions/sign-in";
import { TWO_FACTOR_FIRST } from "@/lib/portal/define-action";
import {
  changePasswordAction,
  confirmTwoFactorAction,
  signOutEverywhereAction,
  startTwoFactorAction,
} from "@/lib/portal/server-actions/account";
import { updateWorkspaceSettingsAction } from "@/lib/portal/server-actions/workspace-settings";
import { getPortalContext, requireAccountContext, requirePortalContext, TWO_FACTOR_SETUP_PATH } from "@/lib/portal/session";
import { contextFor } from "@/lib/workspaces/context";
import { createTestDatabase, TEST_PASSWORD, type TestDatabase } from "@/tests/db";
import { browser, redirectOf } from "@/tests/next-request";

vi.mock("next/headers", () => import("@/tests/next-request"));
// Page caches are Next's business, not this test's (revalidatePath needs a running Next server).
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let t: TestDatabase;
let secret: string;
let recoveryCodes: string[];
const EMAIL = "developer@acme.test";

beforeAll(async () => {
  t = await createTestDatabase();
  installDatabase(t.database);
  const ctx = await contextFor(t.db, t.seed.userIds.developer, t.seed.mainWorkspaceId);
  await startTwoFactorSetup(t.db, ctx);
  const view = await getTwoFactorView(t.db, { id: ctx.user.id, email: ctx.user.email });
  if (view.state !== "pending") throw new Error("not pending");
  secret = view.secret;
  ({ recoveryCodes } = await confirmTwoFactorSetup(t.db, ctx, { code: totpCodeAt(secret, Date.now() - 30_000) }));
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => browser.reset());

const developerSessions = async () => (await t.db.select().from(sessions).where(eq(sessions.userId, t.seed.userIds.developer))).length;

async function submit(fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  let state: SignInState | undefined;
  const redirect = await redirectOf(async () => {
    state = await signInAction({}, form);
  });
  return { state, redirect };
}

describe("the sign-in form with two-factor sign-in on", () => {
  it("asks for a code after the right password, with no session cookie nor row, then signs in with the code", async () => {
    const before = await developerSessions();
    const first = await submit({ email: EMAIL, password: TEST_PASSWORD });
    expect(first.redirect).toBeNull();
    expect(first.state?.challenge).toEqual(expect.any(String));
    expect(browser.cookies.has("authjs.session-token")).toBe(false);
    expect(await developerSessions()).toBe(before);

    const wrong = await submit({ email: EMAIL, challenge: first.state!.challenge!, code: "12 34 5x" });
    expect(wrong.state?.fieldErrors?.code).toBe("That code is not right, or was already used.");
    expect(wrong.state?.challenge).toBe(first.state!.challenge);

    const done = await submit({ email: EMAIL, challenge: first.state!.challenge!, code: totpCodeAt(secret, Date.now()) });
    expect(done.redirect).toBe("http://localhost:3000/");
    expect(browser.cookies.has("authjs.session-token")).toBe(true);
    expect(await developerSessions()).toBe(before + 1);
  });

  it("signs in with a recovery code, once", async () => {
    const first = await submit({ email: EMAIL, password: TEST_PASSWORD });
    expect((await submit({ email: EMAIL, challenge: first.state!.challenge!, code: recoveryCodes[3] })).redirect).toBe(
      "http://localhost:3000/",
    );
    browser.reset();
    const again = await submit({ email: EMAIL, password: TEST_PASSWORD });
    expect(
      (await submit({ email: EMAIL, challenge: again.state!.challenge!, code: recoveryCodes[3] })).state?.fieldErrors?.code,
    ).toBeDefined();
    expect(browser.cookies.has("authjs.session-token")).toBe(false);
  });

  it("sends an expired or forged challenge back to the password", async () => {
    const result = await submit({ email: EMAIL, challenge: "1.1.x.forged", code: totpCodeAt(secret, Date.now()) });
    expect(result.state?.error).toBe("The sign-in took too long. Enter your password again.");
    expect(result.state?.challenge).toBeUndefined();
  });
});

describe("next-auth's credentials callback with two-factor sign-in on", () => {
  it("never issues a session for the password alone", async () => {
    const csrfResponse = await GET(new NextRequest("http://localhost:3000/api/auth/csrf"));
    const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
    const cookie = csrfResponse.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const before = await developerSessions();
    const response = await POST(
      new NextRequest("http://localhost:3000/api/auth/callback/credentials", {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", [CLIENT_ADDRESS_HEADER]: "198.51.100.5" },
        body: new URLSearchParams({ csrfToken, email: EMAIL, password: TEST_PASSWORD }),
      }),
    );
    expect(response.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(false);
    expect(response.headers.get("location")).toContain("code=two_factor");
    expect(await developerSessions()).toBe(before);
  });
});

describe("an organization that requires two-factor sign-in", () => {
  it("sends a member without it from every page to set it up, refuses their actions, and lets them in once it is on", async () => {
    // The Owner turns theirs on, then requires it.
    const owner = await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
    await startTwoFactorSetup(t.db, owner);
    const view = await getTwoFactorView(t.db, owner.user);
    if (view.state !== "pending") throw new Error("not pending");
    await confirmTwoFactorSetup(t.db, owner, { code: totpCodeAt(view.secret, Date.now()) });
    await setTwoFactorRequirement(t.db, owner, { required: true });

    // An Admin signs in with a password (no second factor yet).
    const form = new FormData();
    form.set("email", "admin@acme.test");
    form.set("password", TEST_PASSWORD);
    expect(await redirectOf(() => signInAction({}, form))).toBe("http://localhost:3000/");
    expect(await redirectOf(() => requirePortalContext())).toBe(TWO_FACTOR_SETUP_PATH);
    expect(await redirectOf(() => requirePortalContext("workspace.settings"))).toBe(TWO_FACTOR_SETUP_PATH);
    expect(await updateWorkspaceSettingsAction({ blockedCountries: ["KP"] })).toEqual({ ok: false, error: TWO_FACTOR_FIRST });
    // "Your account" opens, and its actions work.
    expect((await requireAccountContext()).user.email).toBe("admin@acme.test");
    expect((await startTwoFactorAction()).ok).toBe(true);
    const [row] = await t.db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, t.seed.userIds.admin));
    const secret = decryptSecret(row.secretEncrypted, `user_two_factor:${t.seed.userIds.admin}`);
    const confirmed = await confirmTwoFactorAction({ code: totpCodeAt(secret, Date.now()) });
    expect(confirmed.ok && confirmed.data.recoveryCodes).toHaveLength(10);

    // Set up: the pages and actions open again.
    expect(await redirectOf(() => requirePortalContext("workspace.settings"))).toBeNull();
    expect((await updateWorkspaceSettingsAction({ blockedCountries: [] })).ok).toBe(true);
  });

  it("changes the password through the action (open during the required setup): the other sessions end, this one stays", async () => {
    browser.reset();
    const form = new FormData();
    form.set("email", "billing@acme.test");
    form.set("password", TEST_PASSWORD);
    // Two sign-ins elsewhere first, then this browser's.
    await submit({ email: "billing@acme.test", password: TEST_PASSWORD });
    browser.reset();
    await submit({ email: "billing@acme.test", password: TEST_PASSWORD });
    browser.reset();
    expect(await redirectOf(() => signInAction({}, form))).toBe("http://localhost:3000/");
    const wrong = await changePasswordAction({ currentPassword: "nope", newPassword: "x" });
    expect(wrong.ok).toBe(false);
    const result = await changePasswordAction({ currentPassword: TEST_PASSWORD, newPassword: "quiet-lantern-meadow-4821" });
    expect(result).toEqual({ ok: true, data: { sessionsEnded: 2 } });
    // This session stays (still sent to the two-factor setup: the organization requires it).
    expect((await requireAccountContext()).user.email).toBe("billing@acme.test");
  });
});

describe("Sign out everywhere", () => {
  it("ends every session of the person, the one it was made from too, and goes to the sign-in page", async () => {
    browser.reset();
    await submit({ email: "viewer@acme.test", password: TEST_PASSWORD });
    const elsewhere = browser.cookies.get("authjs.session-token")!;
    browser.reset();
    await submit({ email: "viewer@acme.test", password: TEST_PASSWORD });
    const here = browser.cookies.get("authjs.session-token")!;
    expect(await getPortalContext()).not.toBeNull();

    expect(await redirectOf(() => signOutEverywhereAction())).toBe("http://localhost:3000/sign-in");
    for (const cookie of [here, elsewhere]) {
      browser.cookies.set("authjs.session-token", cookie);
      expect(await redirectOf(() => requireAccountContext())).toBe("/sign-in");
    }
  });
});

describe("an unexpected failure of an account action", () => {
  it("changes nothing (one transaction) and logs the database's error without the password or its hash", async () => {
    browser.reset();
    await submit({ email: "viewer@acme.test", password: TEST_PASSWORD });
    await t.db.execute(sql`CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$`);
    await t.db.execute(sql`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()`);
    const logged: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void logged.push(String(line)));
    try {
      const result = await changePasswordAction({ currentPassword: TEST_PASSWORD, newPassword: "amber-willow-canyon-5730" });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^Something went wrong \(reference /);
      expect(logged.join("\n")).toContain("injected");
      expect(logged.join("\n")).not.toMatch(/argon2|amber-willow/);
    } finally {
      spy.mockRestore();
      await t.db.execute(sql`DROP TRIGGER fail_audit ON audit_events`);
      await t.db.execute(sql`DROP FUNCTION fail_audit()`);
    }
    // The old password still works: nothing was written.
    expect((await authenticate(t.db, "viewer@acme.test", TEST_PASSWORD))?.email).toBe("viewer@acme.test");
  });
});
