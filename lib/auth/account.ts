import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { diff, recordAudit } from "@/lib/audit/record";
import { ServiceError } from "@/lib/errors/service-error";
import { passwordProblem } from "./password-policy";
import { hashPassword, verifyPassword } from "./password";
import type { accountNameSchema, changePasswordSchema } from "./account-schemas";
import { endAllSessions } from "./sessions";
import { signInLimiterFor } from "./sign-in-limits";
import type { MemberContext } from "./two-factor";

/** "Your account": a person's own name, password and sessions. Each change is audited. */

export async function updateAccountName(db: Db, ctx: MemberContext, input: z.output<typeof accountNameSchema>): Promise<{ name: string }> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ name: users.name }).from(users).where(eq(users.id, ctx.user.id)).for("update");
    if (!before) throw new ServiceError("NOT_FOUND", "Account not found");
    const changes = diff(before, input);
    if (Object.keys(changes).length === 0) return { name: before.name };
    await tx.update(users).set({ name: input.name }).where(eq(users.id, ctx.user.id));
    await recordAudit(tx, ctx, { action: "account.update", targetType: "user", targetId: String(ctx.user.id), changes });
    return { name: input.name };
  });
}

/**
 * Changes the password: the current one first (guessed under the sign-in
 * limits), the new one by the shared policy and not the person's name or email.
 * Every other session of the person ends; the one it was made from stays.
 */
export async function changePassword(
  db: Db,
  ctx: MemberContext & { user: { name: string } },
  input: z.output<typeof changePasswordSchema>,
): Promise<{ sessionsEnded: number }> {
  const personal = passwordProblem(input.newPassword, [ctx.user.email, ctx.user.name]);
  if (personal) throw new ServiceError("INVALID_INPUT", "Check the highlighted fields.", { newPassword: personal });

  const limiter = signInLimiterFor(db);
  const allowed = await limiter.attempt(ctx.user.email, ctx.address);
  if (!allowed.allowed) {
    const minutes = Math.ceil(allowed.retryAfterSeconds / 60);
    throw new ServiceError("RATE_LIMITED", `Too many wrong passwords. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, {
      currentPassword: `Too many wrong attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    });
  }
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, ctx.user.id));
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw new ServiceError("INVALID_INPUT", "Check the highlighted fields.", { currentPassword: "That is not your current password" });
  }
  await limiter.succeeded(ctx.user.email, ctx.address);
  if (await verifyPassword(row.passwordHash, input.newPassword)) {
    throw new ServiceError("INVALID_INPUT", "Check the highlighted fields.", {
      newPassword: "Choose a password other than your current one",
    });
  }

  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, ctx.user.id));
    const sessionsEnded = await endAllSessions(tx, ctx.user.id, ctx.sessionId ? { except: ctx.sessionId } : {});
    // Never the password or its hash: only that it changed, and how many sessions it ended.
    await recordAudit(tx, ctx, {
      action: "account.password_change",
      targetType: "user",
      targetId: String(ctx.user.id),
      changes: { otherSessionsEnded: { before: null, after: sessionsEnded } },
    });
    return { sessionsEnded };
  });
}

/** "Sign out everywhere": every session of the person ends, this one too. */
export async function signOutEverywhere(db: Db, ctx: MemberContext): Promise<{ sessionsEnded: number }> {
  return db.transaction(async (tx) => {
    const sessionsEnded = await endAllSessions(tx, ctx.user.id);
    await recordAudit(tx, ctx, {
      action: "account.sign_out_everywhere",
      targetType: "user",
      targetId: String(ctx.user.id),
      changes: { sessionsEnded: { before: null, after: sessionsEnded } },
    });
    return { sessionsEnded };
  });
}
