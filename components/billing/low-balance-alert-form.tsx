"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { formatMoney } from "@/lib/format/money";
import { lowBalanceAlertSchema, type LowBalanceAlertValues } from "@/lib/billing/schemas";
import { setLowBalanceAlertAction } from "@/lib/portal/server-actions/billing";

/** The workspace's "Low balance alert": the Dashboard and this page warn at or below it; empty turns it off. */
export function LowBalanceAlertForm({ workspace, threshold }: { workspace: { id: number; currency: string }; threshold: number | null }) {
  const [saved, setSaved] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<LowBalanceAlertValues>({
    resolver: zodResolver(lowBalanceAlertSchema) as unknown as Resolver<LowBalanceAlertValues>,
    defaultValues: { workspaceId: workspace.id, threshold: threshold === null ? "" : threshold.toFixed(2) },
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const { register, handleSubmit, setError, formState } = form;

  const onSubmit = handleSubmit(async () => {
    setSaved(null);
    setFormError(null);
    const result = await setLowBalanceAlertAction(form.getValues());
    if (result.ok) {
      const value = result.data.threshold;
      form.reset({ workspaceId: workspace.id, threshold: value === null ? "" : value.toFixed(2) });
      return setSaved(
        value === null ? "Saved: no low balance alert." : `Saved: you are warned at ${formatMoney(value, workspace.currency)} or less.`,
      );
    }
    const fields = result.fieldErrors ?? {};
    if (fields.threshold) setError("threshold", { type: "server", message: fields.threshold });
    setFormError(fields.threshold && Object.keys(fields).length === 1 ? null : result.error);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          <Field
            label="Low balance alert"
            error={formState.errors.threshold?.message}
            hint={`In ${workspace.currency}. The Dashboard warns when the balance is at or below it; leave it empty for no alert.`}
          >
            {(a) => <TextInput {...a} {...register("threshold")} inputMode="decimal" autoComplete="off" placeholder="e.g. 20.00" />}
          </Field>
        </div>
        <Button type="submit" variant="secondary" className="mt-6" disabled={formState.isSubmitting}>
          Save
        </Button>
      </div>
      {formError ? (
        <p role="alert" className="text-sm text-red-700">
          {formError}
        </p>
      ) : null}
      <p role="status" className="text-sm text-green-800 empty:hidden">
        {saved}
      </p>
    </form>
  );
}
