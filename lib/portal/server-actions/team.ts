"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import type { ActionEnv, ActionResult } from "@/lib/portal/define-action";
import { getPortalContext } from "@/lib/portal/session";
import { teamActions } from "@/lib/portal/team-actions";
import type { CreatedInvitation, InvitationView } from "@/lib/team/invitations";
import type { MemberView } from "@/lib/team/members";
import type { ChangeRoleFormValues, InviteFormValues } from "@/lib/team/schemas";

// The Team page's entry points: each binds the request's session and workspace to
// the definitions in lib/portal/team-actions.ts (which authorize and validate).

async function env(): Promise<ActionEnv> {
  const [db, context] = await Promise.all([getDb(), getPortalContext()]);
  return { db, context };
}

function refreshed<T>(result: ActionResult<T>): ActionResult<T> {
  if (result.ok) revalidatePath("/team");
  return result;
}

export async function inviteMemberAction(values: InviteFormValues): Promise<ActionResult<CreatedInvitation>> {
  return refreshed(await teamActions.invite(await env(), values));
}

export async function revokeInvitationAction(id: number): Promise<ActionResult<InvitationView>> {
  return refreshed(await teamActions.revokeInvitation(await env(), { id }));
}

export async function changeRoleAction(values: ChangeRoleFormValues): Promise<ActionResult<MemberView>> {
  return refreshed(await teamActions.changeRole(await env(), values));
}

export async function removeMemberAction(userId: number): Promise<ActionResult<{ userId: number; endedSessions: number }>> {
  return refreshed(await teamActions.remove(await env(), { userId }));
}
