/**
 * Sign-in limits at every entry point: the portal's form (the server action) and
 * next-auth's own routes (`app/api/auth/[...nextauth]/route.ts`), called as Next
 * calls them, against a real database. The limits live in authorize(), so a
 * guess counts wherever it is made.
 */
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { installDatabase } from "@/db";
import { sessions, users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { SIGN_IN_LIMITS } from "@/lib/auth/sign-in-limits";
import { CLIENT_ADDRESS_HEADER } from "@/lib/net/client-address";
import { signInAction } from "@/lib/portal/server-actions/sign-in";
import { createTestDatabase, TEST_PASSWORD, type TestDatabase } from "@/tests/db";
import { browser, redirectOf } from "@/tests/next-request";

vi.mock("next/headers", () => import("@/tests/next-request"));
// The real verification, counted: how many passwords were actually evaluated.
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
const verifications = () => vi.mocked(verifyPassword).mock.calls.length;

let t: TestDatabase;
let csrf: { token: string; cookie: string };

beforeAll(async () => {
  t = await createTestDatabase();
  installDatabase(t.database);
  // GET /api/auth/csrf — the token and its cookie, as a browser (or an attacker's script) gets them.
  const response = await GET(new NextRequest("http://localhost:3000/api/auth/csrf"));
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  csrf = { token: csrfToken, cookie };
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  browser.reset();
  vi.mocked(verifyPassword).mockClear();
});

const OWNER = "owner@acme.test";

/** POST to one of next-auth's routes with the credentials, from `address` (the header server.mjs sets). */
async function postAuth(path: string, email: string, password: string, address: string) {
  const response = await POST(
    new NextRequest(`http://localhost:3000${path}`, {
      method: "POST",
      headers: {
        cookie: csrf.cookie,
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": "attack-script/1.0",
        [CLIENT_ADDRESS_HEADER]: address,
      },
      body: new URLSearchParams({ csrfToken: csrf.token, email, password }),
    }),
  );
  const sessionCookie = response.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  return { status: response.status, location: response.headers.get("location") ?? "", sessionCookie };
}

const callback = (email: string, password: string, address: string) => postAuth("/api/auth/callback/credentials", email, password, address);

/** The sign-in form, submitted from `address`: the server action's answer, or where it redirected. */
async function submitForm(email: string, password: string, address: string) {
  browser.address = address;
  const form = new FormData();
  form.set("email", email);
  form.set("password", password);
  let state: Awaited<ReturnType<typeof signInAction>> | undefined;
  const redirect = await redirectOf(async () => {
    state = await signInAction({}, form);
  });
  return { error: state?.error, redirect };
}

describe("next-auth's credentials callback", () => {
  it("signs in with the right password and starts a server-side session", async () => {
    const result = await callback(OWNER, TEST_PASSWORD, "198.51.100.10");
    expect(result.sessionCookie).toBeDefined();
    const rows = await t.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, t.seed.userIds.owner), eq(sessions.address, "198.51.100.10")));
    expect(rows).toHaveLength(1);
    expect(rows[0].userAgent).toBe("attack-script/1.0");
    expect(rows[0].revokedAt).toBeNull();
  });

  it("refuses the right password for an email locked through the form", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail.points; i++) {
      expect((await submitForm(OWNER, "wrong-password", "198.51.100.20")).error).toBe("Incorrect email or password.");
    }
    const result = await callback(OWNER, TEST_PASSWORD, "198.51.100.21");
    expect(result.sessionCookie).toBeUndefined();
    expect(result.location).toContain("code=rate_limited");
  });

  it("locks an email after 5 wrong guesses and evaluates no sixth password", async () => {
    const email = "developer@acme.test";
    for (let i = 0; i < 5; i++) {
      const result = await callback(email, `guess-${i}`, `198.51.100.${30 + i}`);
      expect(result.location).toContain("code=credentials");
    }
    expect(verifications()).toBe(5);
    const sixth = await callback(email, TEST_PASSWORD, "198.51.100.40");
    expect(sixth.sessionCookie).toBeUndefined();
    expect(sixth.location).toContain("code=rate_limited");
    expect(verifications()).toBe(5);
  });

  it("evaluates at most 5 of 10 concurrent wrong guesses at one email", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => callback("billing@acme.test", `guess-${i}`, `198.51.100.${50 + i}`)),
    );
    expect(verifications()).toBe(SIGN_IN_LIMITS.perEmail.points);
    expect(results.filter((r) => r.location.includes("code=rate_limited"))).toHaveLength(5);
    expect(results.every((r) => r.sessionCookie === undefined)).toBe(true);
  });

  it("locks an address after 20 guesses spread over emails", async () => {
    const address = "203.0.113.70";
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress.points; i++) await callback(`spray-${i}@acme.test`, "guess", address);
    const result = await callback("viewer@acme.test", TEST_PASSWORD, address);
    expect(result.sessionCookie).toBeUndefined();
    expect(result.location).toContain("code=rate_limited");
    // The same person from elsewhere signs in.
    expect((await callback("viewer@acme.test", TEST_PASSWORD, "203.0.113.71")).sessionCookie).toBeDefined();
  });
});

describe("next-auth's signin route", () => {
  it("never evaluates a password nor issues a session through /api/auth/signin/credentials", async () => {
    const result = await postAuth("/api/auth/signin/credentials", "admin@acme.test", TEST_PASSWORD, "198.51.100.80");
    expect(result.sessionCookie).toBeUndefined();
    expect(verifications()).toBe(0);
  });
});

describe("the sign-in form", () => {
  it("shows the lockout, with the time to wait, for an email locked through next-auth's route", async () => {
    const email = "admin@acme.test";
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail.points; i++) await callback(email, `guess-${i}`, `198.51.100.${90 + i}`);
    const result = await submitForm(email, "wrong-password", "198.51.100.99");
    expect(result.error).toBe("Too many failed sign-in attempts. Try again in 15 minutes.");
    expect(verifications()).toBe(5);
    // The right password does not get through either.
    expect((await submitForm(email, TEST_PASSWORD, "198.51.100.99")).redirect).toBeNull();
  });

  it("signs in with the right password and clears the email's count", async () => {
    const email = "newcomer@acme.test";
    await t.db.insert(users).values({ email, name: "New Comer", passwordHash: await hashPassword(TEST_PASSWORD) });
    for (let i = 0; i < 4; i++) await submitForm(email, "wrong-password", "192.0.2.10");
    expect((await submitForm(email, TEST_PASSWORD, "192.0.2.10")).redirect).toBe("http://localhost:3000/");
    expect(browser.cookies.has("authjs.session-token")).toBe(true);
    // Five more wrong guesses are each answered as such: the count started again.
    for (let i = 0; i < 5; i++)
      expect((await submitForm(email, "wrong-password", "192.0.2.11")).error).toBe("Incorrect email or password.");
    expect((await submitForm(email, "wrong-password", "192.0.2.11")).error).toMatch(/^Too many failed sign-in attempts/);
  });
});
