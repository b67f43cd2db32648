/**
 * Sign-in with two-factor sign-in on, through every entry point: the portal's
 * form (two steps) and next-auth's own credentials callback (which can never get
 * past the password step), against a real database.
 */
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { installDatabase } from "@/db";
import { sessions } from "@/db/schema";
import { totpCodeAt } from "@/lib/auth/totp";
import { confirmTwoFactorSetup, getTwoFactorView, startTwoFactorSetup } from "@/lib/auth/two-factor";
import { CLIENT_ADDRESS_HEADER } from "@/lib/net/client-address";
import { signInAction, type SignInState } from "@/lib/portal/server-actions/sign-in";
import { contextFor } from "@/lib/workspaces/context";
import { createTestDatabase, TEST_PASSWORD, type TestDatabase } from "@/tests/db";
import { browser, redirectOf } from "@/tests/next-request";

vi.mock("next/headers", () => import("@/tests/next-request"));

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
