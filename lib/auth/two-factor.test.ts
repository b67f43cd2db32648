/**
 * Two-factor sign-in against a real database: setup, confirmation, codes accepted
 * once, the lockout, single-use recovery codes, the secret encrypted at rest, the
 * organization's requirement, and "Your account"'s password change and sign-out.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, organizations, twoFactorRecoveryCodes, userTwoFactor, users } from "@/db/schema";
import { ServiceError } from "@/lib/errors/service-error";
import { contextFor, loadPortalContext } from "@/lib/workspaces/context";
import { createTestDatabase, TEST_PASSWORD, type TestDatabase } from "@/tests/db";
import { changePassword, signOutEverywhere, updateAccountName } from "./account";
import { hashPassword } from "./password";
import { listActiveSessions, startSession } from "./sessions";
import { signInWithPassword, signInWithSecondFactor } from "./sign-in";
import { totpCodeAt } from "./totp";
import { issueTwoFactorChallenge } from "./two-factor-challenge";
import { TWO_FACTOR_LIMITS } from "./two-factor-limits";
import {
  confirmTwoFactorSetup,
  getTwoFactorView,
  RECOVERY_CODE_COUNT,
  regenerateRecoveryCodes,
  setTwoFactorRequirement,
  startTwoFactorSetup,
  turnOffTwoFactor,
  twoFactorStatus,
} from "./two-factor";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
/** A new member of the demo organization (its own rate-limit counters), with a context as the portal builds it. */
async function newMember(role: "owner" | "developer" = "developer") {
  const email = `tf-${++n}-${Date.now()}@acme.test`;
  const [user] = await t.db
    .insert(users)
    .values({ email, name: `Member ${n}`, passwordHash: await hashPassword(TEST_PASSWORD) })
    .returning({ id: users.id });
  await t.db.execute(sql`INSERT INTO memberships (user_id, organization_id, role) VALUES (${user.id}, ${t.seed.organizationId}, ${role})`);
  const ctx = await contextFor(t.db, user.id, t.seed.mainWorkspaceId);
  return { id: user.id, email, ctx };
}

/** Turns two-factor sign-in on for `member`, as the page does; the secret as the person reads it, and the recovery codes. */
async function enrol(member: Awaited<ReturnType<typeof newMember>>) {
  await startTwoFactorSetup(t.db, member.ctx);
  const view = await getTwoFactorView(t.db, member);
  if (view.state !== "pending") throw new Error("setup not pending");
  // A code of the step before: the sign-ins below use the current one.
  const { recoveryCodes } = await confirmTwoFactorSetup(t.db, member.ctx, { code: totpCodeAt(view.secret, Date.now() - 30_000) });
  return { secret: view.secret, recoveryCodes };
}

const password = (email: string) =>
  signInWithPassword(t.db, { email, password: TEST_PASSWORD, address: "198.51.100.7", userAgent: "vitest" });
const second = (challenge: string, code: string) =>
  signInWithSecondFactor(t.db, { challenge, code, address: "198.51.100.7", userAgent: "vitest" });
const auditCount = async (userId: number, action: string) =>
  (
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, userId), eq(auditEvents.action, action)))
  ).length;

async function challengeOf(email: string): Promise<string> {
  const outcome = await password(email);
  if (outcome.ok || outcome.reason !== "two_factor") throw new Error(`expected a two-factor challenge, got ${JSON.stringify(outcome)}`);
  return outcome.challenge;
}

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServiceError)) throw new Error(`expected a ServiceError, got ${String(error)}`);
  return error;
}

describe("turning two-factor sign-in on", () => {
  it("is not in force until confirmed with a code; then asks for a code at sign-in and starts no session before it", async () => {
    const member = await newMember();
    await startTwoFactorSetup(t.db, member.ctx);
    expect((await getTwoFactorView(t.db, member)).state).toBe("pending");
    // A setup not confirmed changes nothing at sign-in.
    expect((await password(member.email)).ok).toBe(true);
    expect((await twoFactorStatus(t.db, [member.id])).get(member.id)).toBe(false);

    const view = await getTwoFactorView(t.db, member);
    if (view.state !== "pending") throw new Error("not pending");
    expect(view.uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    // A wrong code does not turn it on.
    const wrong = await refusal(
      confirmTwoFactorSetup(t.db, member.ctx, { code: "000000" === totpCodeAt(view.secret, Date.now()) ? "111111" : "000000" }),
    );
    expect(wrong.fieldErrors?.code).toBeDefined();

    const { recoveryCodes } = await confirmTwoFactorSetup(t.db, member.ctx, { code: totpCodeAt(view.secret, Date.now()) });
    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    expect((await twoFactorStatus(t.db, [member.id, t.seed.userIds.viewer])).get(member.id)).toBe(true);
    expect(await auditCount(member.id, "account.two_factor_setup")).toBe(1);
    expect(await auditCount(member.id, "account.two_factor_enable")).toBe(1);

    const before = (await listActiveSessions(t.db, member.id)).length;
    const challenge = await challengeOf(member.email);
    expect((await listActiveSessions(t.db, member.id)).length).toBe(before);
    const signedIn = await second(challenge, totpCodeAt(view.secret, Date.now() + 30_000));
    expect(signedIn.ok).toBe(true);
    expect((await listActiveSessions(t.db, member.id)).length).toBe(before + 1);
  });

  it("keeps the secret encrypted at rest and the recovery codes only as hashes", async () => {
    const member = await newMember();
    const { secret, recoveryCodes } = await enrol(member);
    const [row] = await t.db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, member.id));
    expect(row.secretEncrypted).toMatch(/^v1\./);
    expect(row.secretEncrypted).not.toContain(secret);
    const dump = JSON.stringify(
      await t.db.execute(
        sql`SELECT * FROM user_two_factor UNION ALL SELECT 0, code_hash, null, null, created_at FROM two_factor_recovery_codes`,
      ),
    );
    expect(dump).not.toContain(secret);
    for (const code of recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace("-", ""));
    }
    // Bound to its row: copied onto another person's row, it does not decrypt there.
    const other = await newMember();
    await t.db.insert(userTwoFactor).values({ userId: other.id, secretEncrypted: row.secretEncrypted });
    await expect(getTwoFactorView(t.db, other)).rejects.toThrow(/failed authentication/);
  });
});

describe("codes at sign-in", () => {
  it("accepts a code once: the same code again is refused, a later one is accepted", async () => {
    const member = await newMember();
    const { secret } = await enrol(member);
    const code = totpCodeAt(secret, Date.now());
    expect((await second(await challengeOf(member.email), code)).ok).toBe(true);
    expect(await second(await challengeOf(member.email), code)).toEqual({ ok: false, reason: "incorrect" });
    // Neither is the confirmation's (older) code.
    expect(await second(await challengeOf(member.email), totpCodeAt(secret, Date.now() - 30_000))).toEqual({
      ok: false,
      reason: "incorrect",
    });
    expect((await second(await challengeOf(member.email), totpCodeAt(secret, Date.now() + 30_000))).ok).toBe(true);
  });

  it("accepts one of two concurrent sign-ins with the same code", async () => {
    const member = await newMember();
    const { secret } = await enrol(member);
    const code = totpCodeAt(secret, Date.now());
    const [a, b] = await Promise.all([challengeOf(member.email), challengeOf(member.email)]);
    const results = await Promise.all([second(a, code), second(b, code)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it(`locks after ${TWO_FACTOR_LIMITS.points} wrong codes: then even the right code is refused`, async () => {
    const member = await newMember();
    const { secret, recoveryCodes } = await enrol(member);
    const challenge = await challengeOf(member.email);
    const right = totpCodeAt(secret, Date.now());
    const wrong = right === "123456" ? "654321" : "123456";
    for (let i = 0; i < TWO_FACTOR_LIMITS.points; i++) expect(await second(challenge, wrong)).toEqual({ ok: false, reason: "incorrect" });
    const locked = await second(challenge, right);
    expect(locked).toMatchObject({ ok: false, reason: "locked" });
    expect((await second(challenge, recoveryCodes[0])).ok).toBe(false);
    // A right password does not reset the code count.
    expect(await second(await challengeOf(member.email), right)).toMatchObject({ ok: false, reason: "locked" });
  });

  it("accepts each recovery code once, in any case and with or without its dash", async () => {
    const member = await newMember();
    const { recoveryCodes } = await enrol(member);
    expect((await second(await challengeOf(member.email), recoveryCodes[0].toUpperCase())).ok).toBe(true);
    expect(await second(await challengeOf(member.email), recoveryCodes[0])).toEqual({ ok: false, reason: "incorrect" });
    expect((await second(await challengeOf(member.email), recoveryCodes[1].replace("-", ""))).ok).toBe(true);
    expect((await getTwoFactorView(t.db, member)).state === "on" && (await getTwoFactorView(t.db, member))).toMatchObject({
      recoveryCodesLeft: RECOVERY_CODE_COUNT - 2,
    });
  });

  it("refuses a challenge that is forged, for someone else, or expired", async () => {
    const member = await newMember();
    const { secret } = await enrol(member);
    const code = totpCodeAt(secret, Date.now());
    const real = await challengeOf(member.email);
    const [id, ...rest] = real.split(".");
    expect(await second([String(Number(id) + 1), ...rest].join("."), code)).toEqual({ ok: false, reason: "expired" });
    expect(await second(issueTwoFactorChallenge(member.id, Date.now() - 6 * 60_000), code)).toEqual({ ok: false, reason: "expired" });
    expect(await second("not-a-challenge", code)).toEqual({ ok: false, reason: "expired" });
    expect((await second(real, code)).ok).toBe(true);
  });
});

describe("new recovery codes", () => {
  it("replace every old code, proven with the password, audited once", async () => {
    const member = await newMember();
    const { recoveryCodes: old } = await enrol(member);
    expect(
      (await refusal(regenerateRecoveryCodes(t.db, member.ctx, { credential: "not-my-password" }))).fieldErrors?.credential,
    ).toBeDefined();
    const { recoveryCodes } = await regenerateRecoveryCodes(t.db, member.ctx, { credential: TEST_PASSWORD });
    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(await auditCount(member.id, "account.recovery_codes_regenerate")).toBe(1);
    expect(await second(await challengeOf(member.email), old[0])).toEqual({ ok: false, reason: "incorrect" });
    expect((await second(await challengeOf(member.email), recoveryCodes[0])).ok).toBe(true);
  });
});

describe("turning it off", () => {
  it("needs a current code or the password, and deletes the secret and the recovery codes", async () => {
    const member = await newMember();
    await enrol(member);
    expect((await refusal(turnOffTwoFactor(t.db, member.ctx, { credential: "not-my-password" }))).fieldErrors?.credential).toBeDefined();
    await turnOffTwoFactor(t.db, member.ctx, { credential: TEST_PASSWORD });
    expect(await t.db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, member.id))).toHaveLength(0);
    expect(await t.db.select().from(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, member.id))).toHaveLength(0);
    expect(await auditCount(member.id, "account.two_factor_disable")).toBe(1);
    expect((await password(member.email)).ok).toBe(true);
  });
});

describe("the organization's requirement", () => {
  it("is an Owner's, only once they have it on themselves; sends members without it to set it up; refuses turning it off", async () => {
    const owner = await newMember("owner");
    const developer = await newMember("developer");
    expect((await refusal(setTwoFactorRequirement(t.db, developer.ctx, { required: true }))).code).toBe("FORBIDDEN");
    expect((await refusal(setTwoFactorRequirement(t.db, owner.ctx, { required: true }))).code).toBe("CONFLICT");
    const { secret } = await enrol(owner);
    await setTwoFactorRequirement(t.db, owner.ctx, { required: true });
    await setTwoFactorRequirement(t.db, owner.ctx, { required: true }); // no change: no second event
    expect(await auditCount(owner.id, "organization.update")).toBe(1);

    // What every page and action sees (lib/portal/session.ts redirects on it, defineAction refuses).
    const session = await startSession(t.db, { userId: developer.id, address: null, userAgent: null });
    const context = await loadPortalContext(t.db, { userId: developer.id, sessionId: session.id }, null, null);
    expect(context?.twoFactor).toEqual({ enabled: false, required: true });
    const ownerContext = await contextFor(t.db, owner.id, t.seed.mainWorkspaceId);
    expect(ownerContext.twoFactor).toEqual({ enabled: true, required: true });

    expect((await refusal(turnOffTwoFactor(t.db, ownerContext, { credential: totpCodeAt(secret, Date.now()) }))).code).toBe("FORBIDDEN");
    await setTwoFactorRequirement(t.db, ownerContext, { required: false });
    const [org] = await t.db.select().from(organizations).where(eq(organizations.id, t.seed.organizationId));
    expect(org.requireTwoFactor).toBe(false);
  });
});

describe("your account", () => {
  it("changes the password after checking the current one, and ends every other session", async () => {
    const member = await newMember();
    const here = await startSession(t.db, { userId: member.id, address: "198.51.100.1", userAgent: "here" });
    await startSession(t.db, { userId: member.id, address: "198.51.100.2", userAgent: "elsewhere" });
    await startSession(t.db, { userId: member.id, address: "198.51.100.3", userAgent: "phone" });
    const ctx = { ...member.ctx, sessionId: here.id };
    const newPassword = "violet-harbour-tractor-91";
    expect(
      (await refusal(changePassword(t.db, ctx, { currentPassword: "wrong", newPassword }))).fieldErrors?.currentPassword,
    ).toBeDefined();
    expect(await listActiveSessions(t.db, member.id)).toHaveLength(3);

    expect(await changePassword(t.db, ctx, { currentPassword: TEST_PASSWORD, newPassword })).toEqual({ sessionsEnded: 2 });
    expect((await listActiveSessions(t.db, member.id)).map((s) => s.id)).toEqual([here.id]);
    expect((await signInWithPassword(t.db, { email: member.email, password: newPassword, address: null, userAgent: null })).ok).toBe(true);
    expect((await password(member.email)).ok).toBe(false);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, member.id), eq(auditEvents.action, "account.password_change")));
    expect(JSON.stringify(event)).not.toContain(newPassword);
  });

  it("refuses a new password that contains the person's name or email", async () => {
    const member = await newMember();
    const local = member.email.split("@")[0];
    const error = await refusal(
      changePassword(t.db, member.ctx, { currentPassword: TEST_PASSWORD, newPassword: `${local}-harbour-tractor-91` }),
    );
    expect(error.fieldErrors?.newPassword).toBeDefined();
  });

  it("renames, audited with before and after; signs out everywhere", async () => {
    const member = await newMember();
    await updateAccountName(t.db, member.ctx, { name: "Renamed Person" });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, member.id), eq(auditEvents.action, "account.update")));
    expect(event.changes).toEqual({ name: { before: expect.stringMatching(/^Member/), after: "Renamed Person" } });

    await startSession(t.db, { userId: member.id, address: null, userAgent: null });
    await startSession(t.db, { userId: member.id, address: null, userAgent: null });
    expect(await signOutEverywhere(t.db, member.ctx)).toEqual({ sessionsEnded: 2 });
    expect(await listActiveSessions(t.db, member.id)).toHaveLength(0);
  });
});
