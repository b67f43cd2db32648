"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { accountNameSchema, changePasswordSchema } from "@/lib/auth/account-schemas";
import type { ActionResult } from "@/lib/portal/define-action";
import { changePasswordAction, updateAccountNameAction } from "@/lib/portal/server-actions/account";

export type Notice = { ok: boolean; text: string } | null;

/** Puts a refused action's messages by their fields (the server's own schema said them); the rest is the notice. */
export function applyResult<T extends FieldValues>(form: UseFormReturn<T>, result: ActionResult<unknown>, fields: Path<T>[]): Notice {
  if (result.ok) return null;
  let placed = false;
  for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
    if (fields.includes(field as Path<T>)) {
      form.setError(field as Path<T>, { message });
      placed = true;
    }
  }
  // A message by its field says it all; the notice is for the rest.
  return placed ? null : { ok: false, text: result.error };
}

export function NoticeLine({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return (
    <p role="status" className={notice.ok ? "text-sm text-green-800" : "text-sm text-red-700"}>
      {notice.text}
    </p>
  );
}

export function NameForm({ name }: { name: string }) {
  const form = useForm<z.input<typeof accountNameSchema>>({ resolver: zodResolver(accountNameSchema), defaultValues: { name } });
  const [notice, setNotice] = useState<Notice>(null);
  return (
    <form
      noValidate
      className="flex flex-col gap-3 sm:flex-row sm:items-start"
      onSubmit={form.handleSubmit(async (values) => {
        const result = await updateAccountNameAction(values);
        setNotice(result.ok ? { ok: true, text: "Name saved." } : applyResult(form, result, ["name"]));
      })}
    >
      <div className="sm:w-80">
        <Field label="Name" error={form.formState.errors.name?.message}>
          {(a) => <TextInput {...a} {...form.register("name")} autoComplete="name" />}
        </Field>
      </div>
      <div className="flex flex-col gap-2 sm:pt-6">
        <Button type="submit" variant="secondary" disabled={form.formState.isSubmitting}>
          Save name
        </Button>
      </div>
      <NoticeLine notice={notice} />
    </form>
  );
}

export function PasswordForm() {
  const form = useForm<z.input<typeof changePasswordSchema>>({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { currentPassword: "", newPassword: "" },
  });
  const [notice, setNotice] = useState<Notice>(null);
  const { errors } = form.formState;
  return (
    <form
      noValidate
      className="space-y-3 sm:max-w-md"
      onSubmit={form.handleSubmit(async (values) => {
        const result = await changePasswordAction(values);
        if (result.ok) {
          form.reset();
          const n = result.data.sessionsEnded;
          setNotice({ ok: true, text: `Password changed. ${n === 1 ? "1 other session was" : `${n} other sessions were`} signed out.` });
        } else setNotice(applyResult(form, result, ["currentPassword", "newPassword"]));
      })}
    >
      <Field label="Current password" error={errors.currentPassword?.message}>
        {(a) => <TextInput {...a} {...form.register("currentPassword")} type="password" autoComplete="current-password" />}
      </Field>
      <Field
        label="New password"
        error={errors.newPassword?.message}
        hint="At least 12 characters, hard to guess, and not your name or email. Your other sessions are signed out."
      >
        {(a) => <TextInput {...a} {...form.register("newPassword")} type="password" autoComplete="new-password" />}
      </Field>
      <NoticeLine notice={notice} />
      <Button type="submit" disabled={form.formState.isSubmitting}>
        Change password
      </Button>
    </form>
  );
}
