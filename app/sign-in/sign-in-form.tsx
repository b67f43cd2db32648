"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { signInAction, type SignInState } from "@/lib/portal/server-actions/sign-in";

export function SignInForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={action} className="mt-6 space-y-4" noValidate>
      <Field label="Email" error={state.fieldErrors?.email}>
        {(a) => <TextInput {...a} name="email" type="email" autoComplete="username" defaultValue={state.email} required />}
      </Field>
      <Field label="Password" error={state.fieldErrors?.password}>
        {(a) => <TextInput {...a} name="password" type="password" autoComplete="current-password" required />}
      </Field>
      {state.error ? (
        <p role="status" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        Sign in
      </Button>
    </form>
  );
}
