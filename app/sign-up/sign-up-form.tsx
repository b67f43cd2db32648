"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { PASSWORD_POLICY, signUpSchema, type SignUpInput } from "@/lib/auth/schemas";
import { signUpServerAction } from "@/lib/portal/server-actions/sign-up";

const FIELDS = ["name", "email", "password", "organization"] as const;

export function SignUpForm() {
  const form = useForm<SignUpInput>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { name: "", email: "", password: "", organization: "" },
  });
  const [error, setError] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    // On success the action signs in and redirects; only a refusal comes back.
    const result = await signUpServerAction(values);
    if (result.ok) return;
    for (const field of FIELDS) {
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
      <Field label="Email" error={errors.email?.message}>
        {(a) => <TextInput {...a} {...form.register("email")} type="email" autoComplete="email" required />}
      </Field>
      <Field
        label="Password"
        error={errors.password?.message}
        hint={`At least ${PASSWORD_POLICY.minLength} characters and hard to guess: a phrase of unrelated words works well.`}
      >
        {(a) => <TextInput {...a} {...form.register("password")} type="password" autoComplete="new-password" required />}
      </Field>
      <Field label="Organization" error={errors.organization?.message}>
        {(a) => <TextInput {...a} {...form.register("organization")} autoComplete="organization" required />}
      </Field>
      {error ? (
        <p role="status" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={isSubmitting}>
        Create account
      </Button>
    </form>
  );
}
