"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { PASSWORD_POLICY } from "@/lib/auth/schemas";
import { createInvitedAccountAction, joinWithAccountAction } from "@/lib/portal/server-actions/invitations";
import { acceptNewAccountSchema, type AcceptNewAccountValues } from "@/lib/team/schemas";

/** The invitee without an account: their name and a password, then they land in the organization, signed in. */
export function AcceptForm({ token }: { token: string }) {
  const form = useForm<AcceptNewAccountValues>({
    resolver: zodResolver(acceptNewAccountSchema),
    defaultValues: { name: "", password: "" },
  });
  const [error, setError] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    // On success the action signs in and redirects; only a refusal comes back.
    const result = await createInvitedAccountAction(token, values);
    if (result.ok) return;
    for (const field of ["name", "password"] as const) {
      const message = result.fieldErrors?.[field];
      if (message) form.setError(field, { message });
    }
    setError(result.error);
  });

  return (
    <form onSubmit={submit} className="mt-6 space-y-4" noValidate>
      <Field label="Name" error={errors.name?.message}>
        {(a) => <TextInput {...a} {...form.register("name")} autoComplete="name" required />}
      </Field>
      <Field
        label="Password"
        error={errors.password?.message}
        hint={`At least ${PASSWORD_POLICY.minLength} characters and hard to guess: a phrase of unrelated words works well.`}
      >
        {(a) => <TextInput {...a} {...form.register("password")} type="password" autoComplete="new-password" required />}
      </Field>
      {error ? (
        <p role="status" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={isSubmitting}>
        Create account and join
      </Button>
    </form>
  );
}

/** The invitee signed in with the invited email: one button. */
export function JoinButton({ token, organization }: { token: string; organization: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="mt-6 space-y-3">
      {error ? (
        <p role="status" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <Button
        className="w-full"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const result = await joinWithAccountAction(token);
          if (!result.ok) setError(result.error);
          setBusy(false);
        }}
      >
        Join {organization}
      </Button>
    </div>
  );
}
