"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/auth";
import { getDb } from "@/db";
import { createSignInLimiter, type SignInLimiter } from "@/lib/auth/sign-in-limits";
import { signInSchema } from "@/lib/auth/schemas";
import { requestAddress } from "@/lib/portal/session";

export type SignInState = { error?: string; fieldErrors?: { email?: string; password?: string }; email?: string };

const globalForLimiter = globalThis as unknown as { __signInLimiter?: SignInLimiter };

async function limiter(): Promise<SignInLimiter> {
  globalForLimiter.__signInLimiter ??= createSignInLimiter(await getDb());
  return globalForLimiter.__signInLimiter;
}

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? "1 minute" : `${m} minutes`;
}

// POST (server action) — sign in with email and password, rate limited per email and per address.
export async function signInAction(_: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  const email = String(formData.get("email") ?? "");
  if (!parsed.success) {
    const fields = parsed.error.flatten().fieldErrors;
    return { email, fieldErrors: { email: fields.email?.[0], password: fields.password?.[0] } };
  }
  const address = await requestAddress();
  const limits = await limiter();
  const wait = await limits.blockedFor(parsed.data.email, address);
  if (wait > 0) {
    return { email, error: `Too many failed sign-in attempts. Try again in ${minutes(wait)}.` };
  }
  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
  } catch (error) {
    if (error instanceof AuthError) {
      await limits.recordFailure(parsed.data.email, address);
      return { email, error: "Incorrect email or password." };
    }
    // A successful sign-in redirects by throwing; let it through.
    await limits.recordSuccess(parsed.data.email);
    throw error;
  }
  return { email };
}
