import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { ROLE_LABELS } from "@/lib/permissions/catalog";
import { getPortalContext } from "@/lib/portal/session";
import { lookupInvitation, type InvitationLookup } from "@/lib/team/invitations";
import { invitationTokenSchema } from "@/lib/team/schemas";
import { AcceptForm, JoinButton } from "./accept-form";

export const metadata: Metadata = { title: "Join an organization", referrer: "no-referrer" };

const GONE: Record<string, string> = {
  unknown: "This invitation link is not valid. Check that you copied all of it, or ask for a new one.",
  expired: "This invitation has expired. Ask the person who invited you for a new one.",
  revoked: "This invitation was revoked. Ask the person who invited you for a new one.",
  accepted: "This invitation was already used. Sign in to open the portal.",
};

// GET /invite/<token> — an invitation link: create the account, or join with the signed-in one.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const parsed = invitationTokenSchema.safeParse(token);
  const [lookup, context]: [InvitationLookup, Awaited<ReturnType<typeof getPortalContext>>] = await Promise.all([
    parsed.success ? lookupInvitation(await getDb(), parsed.data) : Promise.resolve({ status: "unknown" } as const),
    getPortalContext(),
  ]);

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {lookup.status !== "pending" ? (
          <>
            <h1 className="text-xl font-semibold">Invitation</h1>
            <p role="status" className="mt-4 rounded-md bg-slate-100 p-3 text-sm text-slate-800">
              {GONE[lookup.status]}
            </p>
            <SignInLink />
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold">Join {lookup.organizationName}</h1>
            <p className="mt-1 text-sm text-slate-600">
              You are invited as <strong className="font-medium text-slate-800">{ROLE_LABELS[lookup.role]}</strong> with{" "}
              <strong className="font-medium break-all text-slate-800">{lookup.email}</strong>.
            </p>
            {context ? (
              context.user.email === lookup.email ? (
                <JoinButton token={token} organization={lookup.organizationName} />
              ) : (
                <p role="status" className="mt-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
                  You are signed in as {context.user.email}, but this invitation is for {lookup.email}. Sign out, then open the link again.
                </p>
              )
            ) : lookup.hasAccount ? (
              <>
                <p role="status" className="mt-4 rounded-md bg-slate-100 p-3 text-sm text-slate-800">
                  You already have an account. Sign in as {lookup.email}, then open this link again to join.
                </p>
                <SignInLink />
              </>
            ) : (
              <AcceptForm token={token} />
            )}
          </>
        )}
      </div>
    </main>
  );
}

function SignInLink() {
  return (
    <p className="mt-6 text-sm text-slate-600">
      <Link href="/sign-in" className="font-medium text-indigo-700 underline hover:text-indigo-900">
        Go to sign-in
      </Link>
    </p>
  );
}
