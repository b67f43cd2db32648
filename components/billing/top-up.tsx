"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, TextInput } from "@/components/ui/field";
import { formatMoney } from "@/lib/format/money";
import { TOP_UP_MAX, topUpSchema, type TopUpValues } from "@/lib/billing/schemas";
import { topUpAction } from "@/lib/portal/server-actions/billing";

/**
 * "Top up" and its dialog. The form carries an idempotency key made when the
 * dialog opens, so submitting it twice (a double click, a retry after a lost
 * answer) adds the funds once; the next opening makes a new key.
 */
export function TopUp({ workspace }: { workspace: { id: number; name: string; currency: string } }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <Button
        onClick={() => {
          setDone(null);
          setOpen(true);
        }}
      >
        Top up
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Top up"
        description={`Funds are added to the ${workspace.name} workspace at once and listed in Payments as a portal adjustment.`}
      >
        {open ? (
          <TopUpForm
            workspace={workspace}
            onCancel={() => setOpen(false)}
            onDone={(message) => {
              setOpen(false);
              setDone(message);
            }}
          />
        ) : null}
      </Dialog>
      <p role="status" className="text-sm text-green-800 empty:hidden">
        {done}
      </p>
    </>
  );
}

function TopUpForm({
  workspace,
  onCancel,
  onDone,
}: {
  workspace: { id: number; currency: string };
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  // One key per opening of the dialog (this form is mounted only while it is open).
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<TopUpValues>({
    resolver: zodResolver(topUpSchema) as unknown as Resolver<TopUpValues>,
    defaultValues: { workspaceId: workspace.id, amount: "", idempotencyKey },
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const { register, handleSubmit, setError, formState } = form;

  const onSubmit = handleSubmit(async () => {
    setFormError(null);
    // The server parses the raw values with the same schema the resolver used.
    const result = await topUpAction(form.getValues());
    if (result.ok) {
      const { amount, balance, currency } = result.data;
      return onDone(`Added ${formatMoney(amount, currency)}. The balance is now ${formatMoney(balance, currency)}.`);
    }
    const fields = result.fieldErrors ?? {};
    if (fields.amount) setError("amount", { type: "server", message: fields.amount });
    setFormError(fields.amount && Object.keys(fields).length === 1 ? null : result.error);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <Field
        label="Amount"
        error={formState.errors.amount?.message}
        hint={`In ${workspace.currency}, up to ${formatMoney(TOP_UP_MAX, workspace.currency)}, with at most 2 decimals.`}
      >
        {(a) => <TextInput {...a} {...register("amount")} inputMode="decimal" autoComplete="off" placeholder="e.g. 100.00" autoFocus />}
      </Field>
      {formError ? (
        <p role="alert" className="text-sm text-red-700">
          {formError}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={formState.isSubmitting}>
          Add funds
        </Button>
      </div>
    </form>
  );
}
