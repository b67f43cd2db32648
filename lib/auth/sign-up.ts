import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { z } from "zod";
import type { Db } from "@/db";
import { memberships, organizations, rateLimits, users, workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { ServiceError } from "@/lib/errors/service-error";
import { ceilingOf } from "@/lib/permissions/math";
import { hashPassword } from "./password";
import type { signUpSchema } from "./schemas";

/** Sign-ups per client address: each makes an organization, and each tells whether an email is taken. */
export const SIGN_UP_LIMIT = { points: 10, duration: 60 * 60 } as const;

/** Off when SIGNUP_ENABLED is false, 0, no or off (any case): a closed deployment. On otherwise, the default. */
export function signUpEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return !/^(false|0|no|off)$/i.test(env.SIGNUP_ENABLED?.trim() ?? "");
}

export const SIGN_UP_CLOSED = "Sign-up is closed on this portal. Ask an Owner of your organization for an invitation.";
/**
 * A taken email gets this, by the form and not by the email field: nothing says
 * "taken". (With no email step, a sign-up that signs the new person in at once
 * cannot hide a taken address from whoever tries it; the limit per address
 * bounds how many anyone can try. README, "Security model": sign-up.)
 */
export const SIGN_UP_REFUSED = "We could not create an account with these details. If you already have an account, sign in instead.";

const limiters = new WeakMap<Db, RateLimiterDrizzle>();
function limiterFor(db: Db) {
  let limiter = limiters.get(db);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      clearExpiredByTimeout: false,
      keyPrefix: "signup_addr",
      ...SIGN_UP_LIMIT,
    });
    limiters.set(db, limiter);
  }
  return limiter;
}

export type SignUpRequest = { address: string | null };

/**
 * Creates the organization, its main workspace (zero balance) and the person as
 * its Owner, with one audit event, in one transaction: all of it or none. Every
 * valid attempt counts against the address's limit first.
 */
export async function signUp(db: Db, request: SignUpRequest, input: z.output<typeof signUpSchema>) {
  if (!signUpEnabled()) throw new ServiceError("FORBIDDEN", SIGN_UP_CLOSED);
  try {
    await limiterFor(db).consume(request.address ?? "unknown");
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const minutes = Math.max(1, Math.ceil(error.msBeforeNext / 60_000));
    throw new ServiceError(
      "RATE_LIMITED",
      `Too many sign-ups from your address. Try again in ${minutes === 1 ? "1 minute" : `${minutes} minutes`}.`,
    );
  }
  // Hashed whether or not the email is taken: both answers take the same time.
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Emails are stored lower-cased (the schema lower-cases, a CHECK enforces it): the unique index is case-insensitive.
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, email: users.email, name: users.name });
    if (!user) throw new ServiceError("CONFLICT", SIGN_UP_REFUSED);
    const [organization] = await tx.insert(organizations).values({ name: input.organization }).returning({ id: organizations.id });
    const [workspace] = await tx
      .insert(workspaces)
      .values({ organizationId: organization.id, name: "Main", isMain: true, balance: "0" })
      .returning({ id: workspaces.id });
    await tx.insert(memberships).values({ userId: user.id, organizationId: organization.id, role: "owner" });
    await recordAudit(
      tx,
      {
        organizationId: organization.id,
        workspaceId: workspace.id,
        actor: { kind: "user", userId: user.id, role: "owner" },
        ceiling: ceilingOf("owner"),
        address: request.address,
      },
      {
        action: "organization.create",
        targetType: "organization",
        targetId: String(organization.id),
        changes: { name: { before: null, after: input.organization }, owner: { before: null, after: user.email } },
      },
    );
    return { user, organizationId: organization.id, workspaceId: workspace.id };
  });
}
