"use server";

import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/auth";
import { getDb } from "@/db";
import type { ActionResult } from "@/lib/portal/define-action";
import { getPortalContext, requestAddress } from "@/lib/portal/session";
import { invitationActions } from "@/lib/portal/team-actions";
import { writeWorkspaceCookie } from "@/lib/portal/workspace-cookie";
import type { AcceptNewAccountValues } from "@/lib/team/schemas";

// The invitation page's entry points (/invite/<token>): the token authorizes; each
// attempt is counted per address (lib/team/accept-limits.ts).

async function env() {
  const [db, context, address] = await Promise.all([getDb(), getPortalContext(), requestAddress()]);
  return { db, context, address };
}

// POST (server action) — join the organization as the signed-in person; lands on its dashboard.
export async function joinWithAccountAction(token: string): Promise<ActionResult<null>> {
  const result = await invitationActions.join(await env(), token);
  if (!result.ok) return result;
  await writeWorkspaceCookie(result.data.workspaceId);
  redirect("/");
}

// POST (server action) — create the invited account, then sign it in; lands on the dashboard.
export async function createInvitedAccountAction(token: string, values: AcceptNewAccountValues): Promise<ActionResult<null>> {
  const e = await env();
  const result = await invitationActions.createAccount(e, token, values);
  if (!result.ok) return result;
  await writeWorkspaceCookie(result.data.workspaceId);
  try {
    // A successful sign-in redirects by throwing: anything but an AuthError goes through.
    await signIn("credentials", { email: result.data.email, password: values.password, redirectTo: "/" });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    return { ok: false, error: "Your account was created, but signing in failed. Sign in with your email and password." };
  }
  return { ok: true, data: null };
}
