"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { lockedFor, signIn } from "@/auth";
import { signInSchema } from "@/lib/auth/schemas";

export type SignInState = { error?: string; fieldErrors?: { email?: string; password?: string }; email?: string };

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? "1 minute" : `${m} minutes`;
}

// POST (server action) — sign in with email and password. The limits per email and
// per address are enforced by authorize() (auth.ts), which every sign-in passes.
export async function signInAction(_: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  const email = String(formData.get("email") ?? "");
  if (!parsed.success) {
    const fields = parsed.error.flatten().fieldErrors;
    return { email, fieldErrors: { email: fields.email?.[0], password: fields.password?.[0] } };
  }
  try {
    // A successful sign-in redirects by throwing: anything but an AuthError goes through.
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const wait = lockedFor(error);
    if (wait !== null) return { email, error: `Too many failed sign-in attempts. Try again in ${minutes(wait)}.` };
    if (error instanceof CredentialsSignin) return { email, error: "Incorrect email or password." };
    console.error(`[auth] sign-in failed: ${error.type}: ${error.message}`);
    return { email, error: "Sign-in failed on our side. Try again." };
  }
  return { email };
}
