import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SIGN_UP_CLOSED, signUpEnabled } from "@/lib/auth/sign-up";
import { getPortalContext } from "@/lib/portal/session";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };
// SIGNUP_ENABLED is read at request time, not baked into the build.
export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  if (await getPortalContext()) redirect("/");
  const enabled = signUpEnabled();
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Create an account</h1>
        {enabled ? (
          <>
            <p className="mt-1 text-sm text-slate-600">A new organization with its main workspace; you are its Owner.</p>
            <SignUpForm />
          </>
        ) : (
          <p role="status" className="mt-4 rounded-md bg-slate-100 p-3 text-sm text-slate-800">
            {SIGN_UP_CLOSED}
          </p>
        )}
        <p className="mt-6 text-sm text-slate-600">
          Already have an account?{" "}
          <Link href="/sign-in" className="font-medium text-indigo-700 underline hover:text-indigo-900">
            Sign in
          </Link>
        </p>
      </div>
    </main>
  );
}
