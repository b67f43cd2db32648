"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/auth";
import { getDb } from "@/db";
import type { SignUpInput } from "@/lib/auth/schemas";
import type { ActionResult } from "@/lib/portal/define-action";
import { requestAddress } from "@/lib/portal/session";
import { signUpAction } from "@/lib/portal/sign-up";

// POST (server action) — create an organization with its main workspace and the
// person as Owner, then sign them in (through authorize(), like any sign-in).
export async function signUpServerAction(values: SignUpInput): Promise<ActionResult<null>> {
  const result = await signUpAction({ db: await getDb(), address: await requestAddress() }, values);
  if (!result.ok) return result;
  try {
    // A successful sign-in redirects by throwing: anything but an AuthError goes through.
    await signIn("credentials", { email: result.data.email, password: values.password, redirectTo: "/" });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    return { ok: false, error: "Your account was created, but signing you in failed. Sign in with your email and password." };
  }
  return { ok: true, data: null };
}
