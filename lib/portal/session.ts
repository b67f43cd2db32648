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

/**
 * What the session cookie claims (a valid JWT: who, and which server-side
 * session), once per request. NOT yet checked against the sessions table: a
 * signed-out or revoked session still has these claims. Anything that shows or
 * does something goes through getPortalContext.
 */
export const getSessionClaims = cache(async (): Promise<{ userId: number; sessionId: string } | null> => {
  const session = await auth();
  const userId = Number(session?.user?.id);
  const sessionId = session?.sessionId;
  return Number.isInteger(userId) && userId > 0 && typeof sessionId === "string" ? { userId, sessionId } : null;
});

/**
 * The one choke point for "who is signed in": the person, their role and the
 * current workspace, or null when signed out — no cookie, or a session that was
 * ended (sign-out, "Sign out everywhere", a password or role change), expired or
 * never existed. The session row is checked in the same query.
 */
export const getPortalContext = cache(async (): Promise<PortalContext | null> => {
  const claims = await getSessionClaims();
  if (!claims) return null;
  const [db, requested, address] = await Promise.all([getDb(), readWorkspaceCookie(), requestAddress()]);
  return loadPortalContext(db, claims, requested, address);
});

/** Where a member is sent while their organization requires two-factor sign-in and they have not set it up. */
export const TWO_FACTOR_SETUP_PATH = "/account?setup=two-factor";

/**
 * For pages: the context, or a redirect to sign-in; a page the role may not see
 * is a 404. A member whose organization requires two-factor sign-in and who has
 * not set it up is sent to "Your account" (the one page that skips this check:
 * requireAccountContext).
 */
export async function requirePortalContext(right?: PortalRight): Promise<PortalContext> {
  const context = await requireAccountContext();
  if (mustSetUpTwoFactor(context)) redirect(TWO_FACTOR_SETUP_PATH);
  if (right && !hasPortalRight(context.role, right)) {
    const { notFound } = await import("next/navigation");
    notFound();
  }
  return context;
}

export async function requestAddress(): Promise<string | null> {
  return clientAddress(await headers());
}

/** For "Your account": a signed-in member, whether or not they still have to set up two-factor sign-in. */
export async function requireAccountContext(): Promise<PortalContext> {
  const context = await getPortalContext();
  if (!context) redirect("/sign-in");
  return context;
}

export function mustSetUpTwoFactor(context: PortalContext): boolean {
  return context.twoFactor.required && !context.twoFactor.enabled;
}
