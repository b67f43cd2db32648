"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { signOut } from "@/auth";
import { getDb } from "@/db";
import { getSession } from "@/lib/portal/session";
import { writeTrafficMode } from "@/lib/portal/traffic-mode";
import { writeWorkspaceCookie } from "@/lib/portal/workspace-cookie";
import { isMemberOfWorkspace } from "@/lib/workspaces/context";

// POST (server action) — switch the current workspace; only to one of the person's organizations.
export async function switchWorkspaceAction(formData: FormData): Promise<void> {
  const session = await getSession();
  if (!session) return;
  const parsed = z.coerce.number().int().positive().safeParse(formData.get("workspaceId"));
  if (!parsed.success) return;
  if (!(await isMemberOfWorkspace(await getDb(), session.userId, parsed.data))) return;
  await writeWorkspaceCookie(parsed.data);
  revalidatePath("/", "layout");
}

// POST (server action) — sign out and return to the sign-in page.
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}

// POST (server action) — show live or test traffic on the traffic pages (the "Test data" switch).
export async function setTrafficModeAction(test: boolean): Promise<void> {
  if (!(await getSession())) return;
  await writeTrafficMode(test === true ? "test" : "live");
  revalidatePath("/", "layout");
}
