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

async function fail(times: number, email: (i: number) => string, address: (i: number) => string | null) {
  for (let i = 0; i < times; i++) await limiter.recordFailure(email(i), address(i));
}

describe("sign-in limits", () => {
  it("blocks an email after 5 failures, from any address, without blocking other emails or addresses", async () => {
    expect(SIGN_IN_LIMITS.perEmail.points).toBe(5);
    await fail(
      4,
      () => "target@acme.test",
      () => "198.51.100.1",
    );
    expect(await limiter.blockedFor("target@acme.test", "198.51.100.1")).toBe(0);

    await limiter.recordFailure("target@acme.test", "198.51.100.1");
    const blocked = await limiter.blockedFor("target@acme.test", "198.51.100.1");
    expect(blocked).toBeGreaterThan(0);
    expect(blocked).toBeLessThanOrEqual(SIGN_IN_LIMITS.perEmail.duration);
    // Per email: moving to another address does not help the attacker.
    expect(await limiter.blockedFor("target@acme.test", "198.51.100.2")).toBeGreaterThan(0);
    // Someone else, elsewhere, is unaffected.
    expect(await limiter.blockedFor("someone-else@acme.test", "198.51.100.2")).toBe(0);
  });

  it("blocks an address after 20 failures spread over different emails", async () => {
    expect(SIGN_IN_LIMITS.perAddress.points).toBe(20);
    const address = "203.0.113.7";
    // 20 distinct emails, one failure each: no email reaches its own limit.
    await fail(
      19,
      (i) => `spray-${i}@acme.test`,
      () => address,
    );
    expect(await limiter.blockedFor("fresh@acme.test", address)).toBe(0);

    await limiter.recordFailure("spray-19@acme.test", address);
    expect(await limiter.blockedFor("fresh@acme.test", address)).toBeGreaterThan(0);
    expect(await limiter.blockedFor("spray-0@acme.test", address)).toBeGreaterThan(0);
    // The same email from another address is fine: only the address is blocked.
    expect(await limiter.blockedFor("fresh@acme.test", "203.0.113.8")).toBe(0);
    expect(await limiter.blockedFor("spray-0@acme.test", "203.0.113.8")).toBe(0);
  });

  it("clears an email's failures on a successful sign-in", async () => {
    const email = "forgetful@acme.test";
    // One failure per address, so only the email's counter can block.
    await fail(
      5,
      () => email,
      (i) => `192.0.2.${i + 1}`,
    );
    expect(await limiter.blockedFor(email, "192.0.2.100")).toBeGreaterThan(0);

    await limiter.recordSuccess(email);
    expect(await limiter.blockedFor(email, "192.0.2.100")).toBe(0);
    // Counting starts again from zero: 4 more failures do not block.
    await fail(
      4,
      () => email,
      () => "192.0.2.101",
    );
    expect(await limiter.blockedFor(email, "192.0.2.101")).toBe(0);
  });

  it("counts failures without an address per email only", async () => {
    await fail(
      5,
      () => "no-address@acme.test",
      () => null,
    );
    expect(await limiter.blockedFor("no-address@acme.test", null)).toBeGreaterThan(0);
    expect(await limiter.blockedFor("other@acme.test", null)).toBe(0);
  });
});
