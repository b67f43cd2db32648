import { and, count, eq, inArray, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db";
import { organizations, twoFactorRecoveryCodes, userTwoFactor, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import type { ActorContext } from "@/lib/context/actor";
import { ServiceError } from "@/lib/errors/service-error";
import { decryptSecret, encryptSecret } from "@/lib/keys/encryption";
import type { Role } from "@/lib/permissions/catalog";
import { verifyPassword } from "./password";
import { signInLimiterFor } from "./sign-in-limits";
import { generateRecoveryCode, generateTotpSecret, hashRecoveryCode, matchTotp, normalizeRecoveryCode, totpUri } from "./totp";
import type { turnOffTwoFactorSchema, twoFactorCodeSchema, twoFactorRequirementSchema } from "./account-schemas";
import { twoFactorLimiterFor } from "./two-factor-limits";

/**
 * Two-factor sign-in with an authenticator app (TOTP). Turning it on: a secret
 * is made and stored encrypted (pending), the person scans it and confirms with
 * a code, and gets 10 recovery codes, shown once and stored hashed. From then on
 * sign-in asks for a code after the password (lib/auth/sign-in.ts).
 */

/** A signed-in member acting on their own account. */
export type MemberContext = ActorContext & { user: { id: number; email: string }; role: Role; sessionId: string | null };

export const RECOVERY_CODE_COUNT = 10;

// The secret is bound to its row: a ciphertext copied to another person's row does not decrypt there.
const secretContext = (userId: number) => `user_two_factor:${userId}`;

/** Whether each person has two-factor sign-in on (for the Team page): every id given is in the map. */
export async function twoFactorStatus(db: Db, userIds: readonly number[]): Promise<Map<number, boolean>> {
  const status = new Map(userIds.map((id) => [id, false]));
  if (userIds.length === 0) return status;
  const rows = await db
    .select({ userId: userTwoFactor.userId })
    .from(userTwoFactor)
    .where(and(inArray(userTwoFactor.userId, [...userIds]), isNotNull(userTwoFactor.enabledAt)));
  for (const row of rows) status.set(row.userId, true);
  return status;
}

export type TwoFactorView =
  { state: "off" } | { state: "pending"; secret: string; uri: string } | { state: "on"; enabledAt: Date; recoveryCodesLeft: number };

/** What "Your account" shows: off, a setup in progress (the secret, to scan or type), or on. */
export async function getTwoFactorView(db: Db, user: { id: number; email: string }): Promise<TwoFactorView> {
  const [row] = await db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, user.id));
  if (!row) return { state: "off" };
  if (!row.enabledAt) {
    const secret = decryptSecret(row.secretEncrypted, secretContext(user.id));
    return { state: "pending", secret, uri: totpUri(secret, user.email) };
  }
  const [left] = await db
    .select({ n: count() })
    .from(twoFactorRecoveryCodes)
    .where(and(eq(twoFactorRecoveryCodes.userId, user.id), isNull(twoFactorRecoveryCodes.usedAt)));
  return { state: "on", enabledAt: row.enabledAt, recoveryCodesLeft: left?.n ?? 0 };
}

/** Starts (or starts over) the setup: a new secret, stored encrypted, not in force until confirmed. */
export async function startTwoFactorSetup(db: Db, ctx: MemberContext): Promise<void> {
  const secretEncrypted = encryptSecret(generateTotpSecret(), secretContext(ctx.user.id));
  await db.transaction(async (tx) => {
    const started = await tx
      .insert(userTwoFactor)
      .values({ userId: ctx.user.id, secretEncrypted })
      .onConflictDoUpdate({
        target: userTwoFactor.userId,
        set: { secretEncrypted, createdAt: new Date() },
        setWhere: isNull(userTwoFactor.enabledAt),
      })
      .returning({ userId: userTwoFactor.userId });
    if (started.length === 0) throw new ServiceError("CONFLICT", "Two-factor authentication is already on.");
    await recordAudit(tx, ctx, { action: "account.two_factor_setup", targetType: "user", targetId: String(ctx.user.id) });
  });
}

type CodeCheck = { ok: true } | { ok: false; reason: "wrong" } | { ok: false; reason: "locked"; retryAfterSeconds: number };

const lockedError = (seconds: number, field: string) =>
  new ServiceError("RATE_LIMITED", `Too many wrong codes. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? "s" : ""}.`, {
    [field]: `Too many wrong attempts. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? "s" : ""}.`,
  });

/**
 * Confirms the setup with a code from the app: two-factor sign-in is on from
 * now, and the 10 recovery codes returned here are the only time they are seen.
 */
export async function confirmTwoFactorSetup(
  db: Db,
  ctx: MemberContext,
  input: z.output<typeof twoFactorCodeSchema>,
): Promise<{ recoveryCodes: string[] }> {
  const limiter = twoFactorLimiterFor(db);
  const allowed = await limiter.attempt(ctx.user.id);
  if (!allowed.allowed) throw lockedError(allowed.retryAfterSeconds, "code");

  const [row] = await db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, ctx.user.id));
  if (!row) throw new ServiceError("CONFLICT", "Start the setup again: choose Turn on.");
  if (row.enabledAt) throw new ServiceError("CONFLICT", "Two-factor authentication is already on.");
  const step = matchTotp(decryptSecret(row.secretEncrypted, secretContext(ctx.user.id)), input.code, null);
  if (step === null)
    throw new ServiceError("INVALID_INPUT", "That code is not right. Check your app's clock and try the current code.", {
      code: "That code is not right. Check your app's clock and enter the current code.",
    });

  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await db.transaction(async (tx) => {
    const enabled = await tx
      .update(userTwoFactor)
      .set({ enabledAt: new Date(), lastUsedStep: step })
      .where(
        and(eq(userTwoFactor.userId, ctx.user.id), isNull(userTwoFactor.enabledAt), eq(userTwoFactor.secretEncrypted, row.secretEncrypted)),
      )
      .returning({ userId: userTwoFactor.userId });
    if (enabled.length === 0) throw new ServiceError("CONFLICT", "The setup changed meanwhile: start again.");
    await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, ctx.user.id));
    await tx
      .insert(twoFactorRecoveryCodes)
      .values(recoveryCodes.map((code) => ({ userId: ctx.user.id, codeHash: hashRecoveryCode(code) })));
    await recordAudit(tx, ctx, { action: "account.two_factor_enable", targetType: "user", targetId: String(ctx.user.id) });
  });
  await limiter.succeeded(ctx.user.id);
  return { recoveryCodes };
}

/**
 * Turns two-factor sign-in off (or abandons a setup), proven with a current
 * code or the password — each under its own limit. Refused while the
 * organization requires it.
 */
export async function turnOffTwoFactor(db: Db, ctx: MemberContext, input: z.output<typeof turnOffTwoFactorSchema>): Promise<void> {
  const [row] = await db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, ctx.user.id));
  if (!row) throw new ServiceError("CONFLICT", "Two-factor authentication is already off.");
  if (row.enabledAt) {
    const [org] = await db
      .select({ required: organizations.requireTwoFactor })
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId));
    if (org?.required) throw new ServiceError("FORBIDDEN", `Your organization requires two-factor authentication.`);
    await proveItIsThem(db, ctx, input.credential);
  }
  await db.transaction(async (tx) => {
    await tx.delete(userTwoFactor).where(eq(userTwoFactor.userId, ctx.user.id));
    await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, ctx.user.id));
    await recordAudit(tx, ctx, {
      action: row.enabledAt ? "account.two_factor_disable" : "account.two_factor_setup_cancel",
      targetType: "user",
      targetId: String(ctx.user.id),
    });
  });
}

/** A current code (under the code limit) or the password (under the sign-in limits), or a refusal by the field. */
async function proveItIsThem(db: Db, ctx: MemberContext, credential: string): Promise<void> {
  const compact = credential.replace(/\s/g, "");
  const proof = /^\d{6}$/.test(compact)
    ? await checkTotp(db, ctx.user.id, compact)
    : await checkPassword(db, ctx.user, credential, ctx.address);
  if (!proof.ok && proof.reason === "locked") throw lockedError(proof.retryAfterSeconds, "credential");
  if (!proof.ok)
    throw new ServiceError("INVALID_INPUT", "That code or password is not right.", { credential: "That code or password is not right." });
}

/** New recovery codes in place of the old ones (all of them, used or not), proven like turning off; shown once. */
export async function regenerateRecoveryCodes(
  db: Db,
  ctx: MemberContext,
  input: z.output<typeof turnOffTwoFactorSchema>,
): Promise<{ recoveryCodes: string[] }> {
  if (!(await hasTwoFactor(db, ctx.user.id))) throw new ServiceError("CONFLICT", "Two-factor authentication is off.");
  await proveItIsThem(db, ctx, input.credential);
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await db.transaction(async (tx) => {
    await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, ctx.user.id));
    await tx
      .insert(twoFactorRecoveryCodes)
      .values(recoveryCodes.map((code) => ({ userId: ctx.user.id, codeHash: hashRecoveryCode(code) })));
    await recordAudit(tx, ctx, { action: "account.recovery_codes_regenerate", targetType: "user", targetId: String(ctx.user.id) });
  });
  return { recoveryCodes };
}

async function checkPassword(db: Db, user: { id: number; email: string }, password: string, address: string | null): Promise<CodeCheck> {
  // The password is guessed here as at sign-in: the same counters.
  const limiter = signInLimiterFor(db);
  const allowed = await limiter.attempt(user.email, address);
  if (!allowed.allowed) return { ok: false, reason: "locked", retryAfterSeconds: allowed.retryAfterSeconds };
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  if (!row || !(await verifyPassword(row.passwordHash, password))) return { ok: false, reason: "wrong" };
  await limiter.succeeded(user.email, address);
  return { ok: true };
}

/**
 * A current code of a person whose two-factor sign-in is on, under the code
 * limit; accepted once: its time step is remembered, and neither it nor an
 * earlier step is accepted again.
 */
async function checkTotp(db: Db, userId: number, code: string): Promise<CodeCheck> {
  const limiter = twoFactorLimiterFor(db);
  const allowed = await limiter.attempt(userId);
  if (!allowed.allowed) return { ok: false, reason: "locked", retryAfterSeconds: allowed.retryAfterSeconds };
  const [row] = await db
    .select()
    .from(userTwoFactor)
    .where(and(eq(userTwoFactor.userId, userId), isNotNull(userTwoFactor.enabledAt)));
  if (!row) return { ok: false, reason: "wrong" };
  const step = matchTotp(decryptSecret(row.secretEncrypted, secretContext(userId)), code, row.lastUsedStep);
  if (step === null) return { ok: false, reason: "wrong" };
  // Two requests with the same code: only the one that moves the step forward wins.
  const accepted = await db
    .update(userTwoFactor)
    .set({ lastUsedStep: step })
    .where(and(eq(userTwoFactor.userId, userId), or(isNull(userTwoFactor.lastUsedStep), lt(userTwoFactor.lastUsedStep, step))))
    .returning({ userId: userTwoFactor.userId });
  if (accepted.length === 0) return { ok: false, reason: "wrong" };
  await limiter.succeeded(userId);
  return { ok: true };
}

/** A recovery code of the person, used up by this call (under the code limit). */
async function spendRecoveryCode(db: Db, userId: number, code: string): Promise<CodeCheck> {
  const limiter = twoFactorLimiterFor(db);
  const allowed = await limiter.attempt(userId);
  if (!allowed.allowed) return { ok: false, reason: "locked", retryAfterSeconds: allowed.retryAfterSeconds };
  const used = await db
    .update(twoFactorRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(twoFactorRecoveryCodes.userId, userId),
        eq(twoFactorRecoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(twoFactorRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: twoFactorRecoveryCodes.id });
  if (used.length === 0) return { ok: false, reason: "wrong" };
  await limiter.succeeded(userId);
  return { ok: true };
}

/** Whether the person must give a second factor at sign-in. */
export async function hasTwoFactor(db: Db, userId: number): Promise<boolean> {
  return (await twoFactorStatus(db, [userId])).get(userId) === true;
}

/** Sign-in's second step: a 6-digit code from the app, or one of the recovery codes. */
export async function verifySecondFactor(db: Db, userId: number, input: string): Promise<CodeCheck> {
  const compact = input.replace(/\s/g, "");
  if (/^\d{6}$/.test(compact)) return checkTotp(db, userId, compact);
  const recovery = normalizeRecoveryCode(input);
  if (!/^[a-z0-9]{10}$/.test(recovery)) {
    // Malformed input is still a guess: count it, so the limit cannot be probed for free.
    const allowed = await twoFactorLimiterFor(db).attempt(userId);
    return allowed.allowed ? { ok: false, reason: "wrong" } : { ok: false, reason: "locked", retryAfterSeconds: allowed.retryAfterSeconds };
  }
  return spendRecoveryCode(db, userId, recovery);
}

/** An Owner requires (or stops requiring) two-factor sign-in for every member of the organization. */
export async function setTwoFactorRequirement(
  db: Db,
  ctx: MemberContext,
  input: z.output<typeof twoFactorRequirementSchema>,
): Promise<void> {
  if (ctx.role !== "owner") throw new ServiceError("FORBIDDEN", "Only an Owner can change this.");
  if (input.required && !(await hasTwoFactor(db, ctx.user.id))) {
    throw new ServiceError("CONFLICT", "Turn on two-factor authentication for yourself first.");
  }
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ required: organizations.requireTwoFactor })
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId))
      .for("update");
    if (!before) throw new ServiceError("NOT_FOUND", "Organization not found");
    if (before.required === input.required) return;
    await tx.update(organizations).set({ requireTwoFactor: input.required }).where(eq(organizations.id, ctx.organizationId));
    await recordAudit(tx, ctx, {
      action: "organization.update",
      targetType: "organization",
      targetId: String(ctx.organizationId),
      changes: { requireTwoFactor: { before: before.required, after: input.required } },
    });
  });
}
