import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signUpEnabled } from "@/lib/auth/sign-up";
import { getPortalContext } from "@/lib/portal/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

// Whether "Create an account" shows depends on SIGNUP_ENABLED at run time.
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  // Only a live session skips the form: an ended one would bounce between here and "/".
  if (await getPortalContext()) redirect("/");
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in to the messaging portal</h1>
        <p className="mt-1 text-sm text-slate-600">Manage API keys and watch your SMS traffic.</p>
        <SignInForm />
        {signUpEnabled() ? (
          <p className="mt-6 text-sm text-slate-600">
            New here?{" "}
            <Link href="/sign-up" className="font-medium text-indigo-700 underline hover:text-indigo-900">
              Create an account
            </Link>
          </p>
        ) : null}
      </div>
    </main>
  );
}
