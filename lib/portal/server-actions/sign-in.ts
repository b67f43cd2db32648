"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { lockedFor, signIn, twoFactorChallengeOf } from "@/auth";
import { secondFactorSchema, signInSchema } from "@/lib/auth/schemas";

export type SignInState = {
  error?: string;
  fieldErrors?: { email?: string; password?: string; code?: string };
  email?: string;
  /** Set after a right password when a code is needed: the signed, short-lived challenge for the second step. */
  challenge?: string;
};

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? "1 minute" : `${m} minutes`;
}

// POST (server action) — sign in with email and password, then (two-factor sign-in on)
// with a code. The limits are enforced by authorize() (auth.ts), which every sign-in passes.
export async function signInAction(_: SignInState, formData: FormData): Promise<SignInState> {
  if (formData.has("challenge")) return secondStep(formData);
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
    const challenge = twoFactorChallengeOf(error);
    if (challenge !== null) return { email, challenge };
    return refusal(error, { email });
  }
  return { email };
}

async function secondStep(formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "");
  const parsed = secondFactorSchema.safeParse({ challenge: formData.get("challenge"), code: formData.get("code") });
  const challenge = String(formData.get("challenge") ?? "");
  if (!parsed.success) return { email, challenge, fieldErrors: { code: parsed.error.flatten().fieldErrors.code?.[0] ?? "Sign in again." } };
  try {
    await signIn("credentials", { challenge: parsed.data.challenge, code: parsed.data.code, redirectTo: "/" });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    if (error instanceof CredentialsSignin && error.code === "two_factor_expired") {
      return { email, error: "The sign-in took too long. Enter your password again." };
    }
    if (error instanceof CredentialsSignin && lockedFor(error) === null) {
      return { email, challenge, fieldErrors: { code: "That code is not right, or was already used." } };
    }
    return refusal(error, { email, challenge });
  }
  return { email };
}

function refusal(error: AuthError, state: SignInState): SignInState {
  const wait = lockedFor(error);
  if (wait !== null) return { ...state, error: `Too many failed sign-in attempts. Try again in ${minutes(wait)}.` };
  if (error instanceof CredentialsSignin) return { ...state, error: "Incorrect email or password." };
  console.error(`[auth] sign-in failed: ${error.type}: ${error.message}`);
  return { ...state, error: "Sign-in failed on our side. Try again." };
}
