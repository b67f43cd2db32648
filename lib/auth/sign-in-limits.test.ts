import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { createSignInLimiter, SIGN_IN_LIMITS, type SignInLimiter } from "./sign-in-limits";

let testDb: TestDatabase;
let limiter: SignInLimiter;

beforeAll(async () => {
  testDb = await createTestDatabase();
  limiter = createSignInLimiter(testDb.db);
});

afterAll(async () => {
  await testDb?.close();
});

/** `times` attempts (none succeeding); how many were allowed. */
async function attempt(times: number, email: (i: number) => string, address: (i: number) => string | null): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < times; i++) if ((await limiter.attempt(email(i), address(i))).allowed) allowed++;
  return allowed;
}

const refusedFor = async (email: string, address: string | null) => {
  const result = await limiter.attempt(email, address);
  return result.allowed ? 0 : result.retryAfterSeconds;
};

describe("sign-in limits", () => {
  it("allows 5 attempts per email, then refuses from any address for the rest of the window, without blocking others", async () => {
    expect(SIGN_IN_LIMITS.perEmail.points).toBe(5);
    expect(
      await attempt(
        5,
        () => "target@acme.test",
        () => "198.51.100.1",
      ),
    ).toBe(5);

    const wait = await refusedFor("target@acme.test", "198.51.100.1");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(SIGN_IN_LIMITS.perEmail.duration);
    // Per email: moving to another address does not help the attacker.
    expect(await refusedFor("target@acme.test", "198.51.100.2")).toBeGreaterThan(0);
    // Someone else, elsewhere, is unaffected.
    expect(await refusedFor("someone-else@acme.test", "198.51.100.2")).toBe(0);
  });

  it("allows 20 attempts per address spread over different emails, then refuses that address only", async () => {
    expect(SIGN_IN_LIMITS.perAddress.points).toBe(20);
    const address = "203.0.113.7";
    // 20 distinct emails, one attempt each: no email reaches its own limit.
    expect(
      await attempt(
        20,
        (i) => `spray-${i}@acme.test`,
        () => address,
      ),
    ).toBe(20);
    expect(await refusedFor("fresh@acme.test", address)).toBeGreaterThan(0);
    expect(await refusedFor("spray-0@acme.test", address)).toBeGreaterThan(0);
    // The same emails from another address are fine: only the address is blocked.
    expect(await refusedFor("fresh-2@acme.test", "203.0.113.8")).toBe(0);
    expect(await refusedFor("spray-1@acme.test", "203.0.113.8")).toBe(0);
  });

  it("costs the targeted email nothing when the address is already blocked", async () => {
    const address = "203.0.113.9";
    await attempt(
      20,
      (i) => `spray-b-${i}@acme.test`,
      () => address,
    );
    // Many refused guesses at one email from the blocked address…
    for (let i = 0; i < 10; i++) expect(await refusedFor("bystander@acme.test", address)).toBeGreaterThan(0);
    // …leave its own 5 attempts intact elsewhere.
    expect(
      await attempt(
        5,
        () => "bystander@acme.test",
        () => "203.0.113.10",
      ),
    ).toBe(5);
  });

  it("clears an email's count and returns the address's point on a successful sign-in", async () => {
    const email = "forgetful@acme.test";
    const address = "192.0.2.1";
    expect(
      await attempt(
        4,
        () => email,
        () => address,
      ),
    ).toBe(4);
    // The 5th attempt succeeds.
    expect((await limiter.attempt(email, address)).allowed).toBe(true);
    await limiter.succeeded(email, address);
    // Counting starts again from zero: 5 more attempts are allowed.
    expect(
      await attempt(
        5,
        () => email,
        () => address,
      ),
    ).toBe(5);
    expect(await refusedFor(email, "192.0.2.2")).toBeGreaterThan(0);
  });

  it("does not count successful sign-ins against a shared address", async () => {
    const address = "192.0.2.50";
    for (let i = 0; i < 30; i++) {
      expect((await limiter.attempt(`colleague-${i}@acme.test`, address)).allowed).toBe(true);
      await limiter.succeeded(`colleague-${i}@acme.test`, address);
    }
  });

  it("counts attempts without an address per email only", async () => {
    expect(
      await attempt(
        5,
        () => "no-address@acme.test",
        () => null,
      ),
    ).toBe(5);
    expect(await refusedFor("no-address@acme.test", null)).toBeGreaterThan(0);
    expect(await refusedFor("other@acme.test", null)).toBe(0);
  });

  it("lets through at most 5 of 10 concurrent attempts at one email", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => limiter.attempt("rushed@acme.test", `198.18.0.${i + 1}`)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });
});
