import type { Db } from "@/db";
import { ServiceError } from "@/lib/errors/service-error";
import { defineAction, fieldErrorsOf, type ActionResult } from "@/lib/portal/define-action";
import { countAcceptAttempt } from "@/lib/team/accept-limits";
import { acceptInvitation, createInvitation, revokeInvitation, type Accepted } from "@/lib/team/invitations";
import { changeMemberRole, removeMember } from "@/lib/team/members";
import {
  acceptNewAccountSchema,
  changeRoleFormSchema,
  invitationTokenSchema,
  inviteFormSchema,
  removeMemberSchema,
  revokeInvitationSchema,
} from "@/lib/team/schemas";
import type { PortalContext } from "@/lib/workspaces/context";

/**
 * The Team page's server actions, as plain functions of (env, input) so tests
 * call exactly what the browser calls; ./server-actions/team.ts ("use server")
 * binds them to the request's session. Every one needs members.manage.
 */
export const teamActions = {
  invite: defineAction({ right: "members.manage", schema: inviteFormSchema }, ({ db, context }, input) =>
    createInvitation(db, context, input),
  ),
  revokeInvitation: defineAction({ right: "members.manage", schema: revokeInvitationSchema }, ({ db, context }, { id }) =>
    revokeInvitation(db, context, id),
  ),
  changeRole: defineAction({ right: "members.manage", schema: changeRoleFormSchema }, ({ db, context }, { userId, role }) =>
    changeMemberRole(db, context, userId, role),
  ),
  remove: defineAction({ right: "members.manage", schema: removeMemberSchema }, ({ db, context }, { userId }) =>
    removeMember(db, context, userId),
  ),
};

export type AcceptEnv = { db: Db; context: PortalContext | null; address: string | null };

/**
 * The invitation page's actions (/invite/<token>): no portal right is needed —
 * the token is the authorization — but each attempt counts against the limit
 * per address before anything else is done.
 */
export const invitationActions = {
  /** Joins as the signed-in person (whose email must be the invited one). */
  async join(env: AcceptEnv, token: unknown): Promise<ActionResult<Accepted>> {
    if (!env.context) return { ok: false, error: "Sign in to join with your account." };
    const userId = env.context.user.id;
    return run(env, token, (t) => acceptInvitation(env.db, t, { userId }, env.address));
  },
  /** Creates the invited person's account (no account may have that email yet). */
  async createAccount(env: AcceptEnv, token: unknown, values: unknown): Promise<ActionResult<Accepted>> {
    const parsed = acceptNewAccountSchema.safeParse(values);
    if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
    if (env.context) return { ok: false, error: "You are signed in. Sign out to create a new account, or join with this one." };
    return run(env, token, (t) => acceptInvitation(env.db, t, parsed.data, env.address));
  },
};

async function run<T>(env: AcceptEnv, token: unknown, accept: (token: string) => Promise<T>): Promise<ActionResult<T>> {
  try {
    await countAcceptAttempt(env.db, env.address);
    const parsed = invitationTokenSchema.safeParse(token);
    if (!parsed.success) throw new ServiceError("NOT_FOUND", "This invitation link is not valid.");
    return { ok: true, data: await accept(parsed.data) };
  } catch (error) {
    if (error instanceof ServiceError) return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
}
