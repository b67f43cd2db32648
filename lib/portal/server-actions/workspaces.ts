"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { signOut } from "@/auth";
import { getDb } from "@/db";
import { endSession } from "@/lib/auth/sessions";
import { getPortalContext, getSessionClaims } from "@/lib/portal/session";
import { writeTrafficMode } from "@/lib/portal/traffic-mode";
import { writeWorkspaceCookie } from "@/lib/portal/workspace-cookie";
import { isMemberOfWorkspace } from "@/lib/workspaces/context";

// POST (server action) — switch the current workspace; only to one of the person's organizations.
export async function switchWorkspaceAction(formData: FormData): Promise<void> {
  const context = await getPortalContext();
  if (!context) return;
  const parsed = z.coerce.number().int().positive().safeParse(formData.get("workspaceId"));
  if (!parsed.success) return;
  if (!(await isMemberOfWorkspace(await getDb(), context.user.id, parsed.data))) return;
  await writeWorkspaceCookie(parsed.data);
  revalidatePath("/", "layout");
}

// POST (server action) — sign out: end the server-side session (so every copy of
// the cookie stops working on every instance), then delete the cookie. Ending it
// here, not only in next-auth's signOut event, makes a failure an error the person
// sees instead of one next-auth logs while deleting the cookie anyway.
export async function signOutAction(): Promise<void> {
  const claims = await getSessionClaims();
  if (claims) await endSession(await getDb(), claims.sessionId);
  await signOut({ redirectTo: "/sign-in" });
}

// POST (server action) — show live or test traffic on the traffic pages (the "Test data" switch).
export async function setTrafficModeAction(test: boolean): Promise<void> {
  if (!(await getPortalContext())) return;
  await writeTrafficMode(test === true ? "test" : "live");
  revalidatePath("/", "layout");
}
