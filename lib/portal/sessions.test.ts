/**
 * Ending sessions, through the real sign-out action and next-auth's own route:
 * a copy of the session cookie taken before sign-out opens nothing afterwards.
 * `browser` (tests/next-request.ts) plays the browser's cookie jar.
 */
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import SignInPage from "@/app/sign-in/page";
import { installDatabase } from "@/db";
import { endAllSessions } from "@/lib/auth/sessions";
import { signInAction } from "@/lib/portal/server-actions/sign-in";
import { updateWorkspaceSettingsAction } from "@/lib/portal/server-actions/workspace-settings";
import { signOutAction } from "@/lib/portal/server-actions/workspaces";
import { getPortalContext, requirePortalContext } from "@/lib/portal/session";
import { createTestDatabase, TEST_PASSWORD, type TestDatabase } from "@/tests/db";
import { browser, redirectOf } from "@/tests/next-request";

vi.mock("next/headers", () => import("@/tests/next-request"));
// Page caches are Next's business, not this test's (revalidatePath needs a running Next server).
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const SESSION_COOKIE = "authjs.session-token";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  installDatabase(t.database);
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => browser.reset());

/** Signs in through the form; returns a copy of the session cookie. */
async function signIn(email = "owner@acme.test"): Promise<string> {
  const form = new FormData();
  form.set("email", email);
  form.set("password", TEST_PASSWORD);
  expect(await redirectOf(() => signInAction({}, form))).toBe("http://localhost:3000/");
  const cookie = browser.cookies.get(SESSION_COOKIE);
  expect(cookie).toBeDefined();
  return cookie!;
}

/** What the copied cookie opens now: a page (null = signed out) and a server action. */
async function withCookie(cookie: string) {
  browser.cookies.set(SESSION_COOKIE, cookie);
  return {
    context: await getPortalContext(),
    page: await redirectOf(() => requirePortalContext()),
    action: await updateWorkspaceSettingsAction({ blockedCountries: [] }),
  };
}

describe("ending a session", () => {
  it("signs a copied session cookie out with the sign-out action: pages go to /sign-in, actions answer that the session ended", async () => {
    const copied = await signIn();
    const before = await withCookie(copied);
    expect(before.context?.user.email).toBe("owner@acme.test");
    expect(before.page).toBeNull();
    expect(before.action.ok).toBe(true);

    expect(await redirectOf(() => signOutAction())).toBe("http://localhost:3000/sign-in");
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);

    const after = await withCookie(copied);
    expect(after.context).toBeNull();
    expect(after.page).toBe("/sign-in");
    expect(after.action).toEqual({ ok: false, error: "Your session has ended. Sign in again." });
  });

  it("ends only the session signed out of: the same person's other sign-ins go on", async () => {
    const laptop = await signIn();
    browser.reset();
    const phone = await signIn();
    await redirectOf(() => signOutAction());
    expect((await withCookie(phone)).context).toBeNull();
    expect((await withCookie(laptop)).context).not.toBeNull();
  });

  it("signs a copied cookie out after sign-out through next-auth's own route", async () => {
    const copied = await signIn("admin@acme.test");
    const csrf = await GET(new NextRequest("http://localhost:3000/api/auth/csrf", { headers: { cookie: `${SESSION_COOKIE}=${copied}` } }));
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
    await POST(
      new NextRequest("http://localhost:3000/api/auth/signout", {
        method: "POST",
        headers: { cookie: [...csrfCookie, `${SESSION_COOKIE}=${copied}`].join("; "), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken }),
      }),
    );
    expect((await withCookie(copied)).context).toBeNull();
  });

  it("signs every browser of a person out when all their sessions end (sign out everywhere, role change, removal)", async () => {
    const first = await signIn("developer@acme.test");
    browser.reset();
    const second = await signIn("developer@acme.test");
    await endAllSessions(t.db, t.seed.userIds.developer);
    expect((await withCookie(first)).page).toBe("/sign-in");
    expect((await withCookie(second)).action).toEqual({ ok: false, error: "Your session has ended. Sign in again." });
  });

  it("treats a valid session cookie without a server-side session as signed out", async () => {
    // A JWT signed with the app's secret, as issued before sessions had rows.
    const cookie = await encode({ token: { sub: String(t.seed.userIds.owner) }, secret: process.env.AUTH_SECRET!, salt: SESSION_COOKIE });
    expect((await withCookie(cookie)).context).toBeNull();
  });

  it("shows the sign-in form for an ended session instead of sending it back to the portal", async () => {
    const copied = await signIn();
    await redirectOf(() => signOutAction());
    browser.cookies.set(SESSION_COOKIE, copied);
    expect(await redirectOf(() => SignInPage())).toBeNull();
    // A live session skips the form.
    browser.reset();
    await signIn();
    expect(await redirectOf(() => SignInPage())).toBe("/");
  });
});
