"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { signInAction, type SignInState } from "@/lib/portal/server-actions/sign-in";

export function SignInForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  const message = state.error ? (
    <p role="status" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
      {state.error}
    </p>
  ) : null;

  // The second step: the password was right, a code from the authenticator app (or a recovery code) is next.
  if (state.challenge) {
    return (
      <form action={action} className="mt-6 space-y-4" noValidate>
        <input type="hidden" name="challenge" value={state.challenge} />
        <input type="hidden" name="email" value={state.email ?? ""} />
        <p className="text-sm text-slate-700">
          Two-factor authentication is on for {state.email}. Enter the code from your authenticator app.
        </p>
        <Field
          label="Authentication code"
          error={state.fieldErrors?.code}
          hint="Lost your device? Enter one of your recovery codes instead."
        >
          {(a) => <TextInput {...a} name="code" autoComplete="one-time-code" autoFocus required />}
        </Field>
        {message}
        <Button type="submit" className="w-full" disabled={pending}>
          Verify
        </Button>
        <p className="text-center text-sm">
          <a href="/sign-in" className="text-indigo-700 hover:underline">
            Start over
          </a>
        </p>
      </form>
    );
  }

  return (
    <form action={action} className="mt-6 space-y-4" noValidate>
      <Field label="Email" error={state.fieldErrors?.email}>
        {(a) => <TextInput {...a} name="email" type="email" autoComplete="username" defaultValue={state.email} required />}
      </Field>
      <Field label="Password" error={state.fieldErrors?.password}>
        {(a) => <TextInput {...a} name="password" type="password" autoComplete="current-password" required />}
      </Field>
      {message}
      <Button type="submit" className="w-full" disabled={pending}>
        Sign in
      </Button>
    </form>
  );
}
