import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { getDb } from "@/db";
import { clientAddress } from "@/lib/net/client-address";
import { hasPortalRight, type PortalRight } from "@/lib/permissions/catalog";
import { loadPortalContext, type PortalContext } from "@/lib/workspaces/context";
import { readWorkspaceCookie } from "@/lib/portal/workspace-cookie";

/** The one choke point for "who is signed in", once per request. */
export const getSession = cache(async (): Promise<{ userId: number } | null> => {
  const session = await auth();
  const userId = Number(session?.user?.id);
  return Number.isInteger(userId) && userId > 0 ? { userId } : null;
});

/** The signed-in person, their role and the current workspace, or null. */
export const getPortalContext = cache(async (): Promise<PortalContext | null> => {
  const session = await getSession();
  if (!session) return null;
  const [db, requested, address] = await Promise.all([getDb(), readWorkspaceCookie(), requestAddress()]);
  return loadPortalContext(db, session.userId, requested, address);
});

/** For pages: the context, or a redirect to sign-in; a page the role may not see is a 404. */
export async function requirePortalContext(right?: PortalRight): Promise<PortalContext> {
  const context = await getPortalContext();
  if (!context) redirect("/sign-in");
  if (right && !hasPortalRight(context.role, right)) {
    const { notFound } = await import("next/navigation");
    notFound();
  }
  return context;
}

export async function requestAddress(): Promise<string | null> {
  return clientAddress(await headers());
}
