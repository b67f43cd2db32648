"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useFieldArray, useForm, useWatch, type FieldPath, type Resolver } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { CheckboxField, Field, FieldError, TextInput, inputClass } from "@/components/ui/field";
import { PermissionPicker } from "./permission-picker";
import type { ActionResult } from "@/lib/portal/define-action";
import { formatDate } from "@/lib/format/dates";
import {
  EXPIRY_CHOICES,
  EXPIRY_LABELS,
  createKeyFormSchema,
  editKeyFormSchema,
  type CreateKeyFormValues,
  type EditKeyFormValues,
} from "@/lib/keys/form-schema";
import type { KeyView } from "@/lib/keys/view";
import { NAMED_PERMISSIONS, WILDCARD, type NamedPermission, type Role } from "@/lib/permissions/catalog";
import { disabledReason } from "@/lib/permissions/math";

/** The union of both forms' raw values; each mode parses with its own schema from lib/keys/form-schema. */
type FormValues = Omit<CreateKeyFormValues, "expiry"> & { id?: string; expiry: EditKeyFormValues["expiry"] };

export type KeyFormProps = {
  role: Role;
  onCancel: () => void;
} & (
  | { mode: "create"; submit: (values: CreateKeyFormValues) => Promise<ActionResult<unknown>>; onDone: (data: unknown) => void }
  | {
      mode: "edit";
      initial: KeyView;
      submit: (values: EditKeyFormValues) => Promise<ActionResult<unknown>>;
      onDone: (data: unknown) => void;
    }
);

function defaultsFor(props: KeyFormProps): FormValues {
  if (props.mode === "create") {
    return {
      name: "",
      testMode: false,
      access: "restricted",
      permissions: [],
      hmac: false,
      offTheRecord: false,
      postbackUrl: "",
      allowedCidrs: [],
      expiry: "never",
      expiresOn: "",
      dailySpendCap: "",
      allowedCountries: "",
    };
  }
  const k = props.initial;
  const full = k.permissions.includes(WILDCARD);
  return {
    id: k.id,
    name: k.name,
    testMode: k.mode === "test",
    access: full ? "full" : "restricted",
    permissions: full ? [] : (k.permissions as NamedPermission[]),
    hmac: k.hmac,
    offTheRecord: k.offTheRecord,
    postbackUrl: k.postbackUrl ?? "",
    allowedCidrs: k.allowedCidrs.map((value) => ({ value })),
    expiry: "keep",
    expiresOn: k.expiresAt?.slice(0, 10) ?? "",
    dailySpendCap: k.dailySpendCap === null ? "" : String(k.dailySpendCap),
    allowedCountries: k.allowedCountries.join(", "),
  };
}

export function KeyForm(props: KeyFormProps) {
  const { role, mode } = props;
  const schema = mode === "create" ? createKeyFormSchema : editKeyFormSchema;
  const form = useForm<FormValues>({
    resolver: zodResolver(schema as never) as unknown as Resolver<FormValues>,
    defaultValues: defaultsFor(props),
    // Validate on submit, then as the person corrects: validating on blur moves the
    // layout under the pointer, and the first click on "Create key" would miss.
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const { register, control, handleSubmit, setError, formState } = form;
  const cidrs = useFieldArray({ control, name: "allowedCidrs" });
  const [formError, setFormError] = useState<string | null>(null);
  const [newCidr, setNewCidr] = useState("");
  const errors = formState.errors;
  const access = useWatch({ control, name: "access" });
  const expiry = useWatch({ control, name: "expiry" });
  const fullAccessReason = disabledReason(WILDCARD, role);

  const onSubmit = handleSubmit(async () => {
    setFormError(null);
    // The server parses the raw values with the same schema the resolver used.
    const raw = form.getValues();
    const result = props.mode === "create" ? await props.submit(raw as CreateKeyFormValues) : await props.submit(raw as EditKeyFormValues);
    if (result.ok) return props.onDone(result.data);
    setFormError(result.error);
    for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
      setError(field as FieldPath<FormValues>, { type: "server", message });
    }
  });

  const keepLabel =
    mode === "edit" ? `Keep as is (${props.initial.expiresAt ? `expires ${formatDate(props.initial.expiresAt)}` : "never expires"})` : "";

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <Field label="Name" error={errors.name?.message}>
        {(a) => <TextInput {...a} {...register("name")} autoComplete="off" placeholder="e.g. Production backend" />}
      </Field>

      <CheckboxField
        label="Test mode"
        description={
          mode === "edit" ? "Fixed when the key was created." : "Test keys (sk_test_…) never reach a carrier or touch the balance."
        }
        disabled={mode === "edit"}
        {...register("testMode")}
      />

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Access</legend>
        <div className="flex flex-wrap gap-4">
          <label className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              value="full"
              disabled={fullAccessReason !== null}
              {...register("access")}
              aria-describedby={fullAccessReason ? "full-access-reason" : undefined}
            />
            Full access
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" value="restricted" {...register("access")} />
            Restricted
          </label>
        </div>
        {fullAccessReason ? (
          <p id="full-access-reason" className="text-sm text-amber-800">
            {fullAccessReason}
          </p>
        ) : null}
        {access === "full" ? (
          <p className="text-sm text-slate-600">Every permission, including any added later.</p>
        ) : (
          <Controller
            control={control}
            name="permissions"
            render={({ field, fieldState }) => (
              <PermissionPicker
                role={role}
                value={field.value as NamedPermission[]}
                onChange={(next) => field.onChange(NAMED_PERMISSIONS.filter((p) => next.includes(p)))}
                error={fieldState.error?.message}
              />
            )}
          />
        )}
      </fieldset>

      <CheckboxField
        label="Require HMAC signature"
        description={
          mode === "edit"
            ? "Fixed when the key was created; roll the key for a new signing secret."
            : "Every request must carry X-Timestamp and X-Signature; a signing secret is shown once."
        }
        disabled={mode === "edit"}
        {...register("hmac")}
      />

      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Expires" error={errors.expiry?.message}>
          {(a) => (
            <select {...a} {...register("expiry")} className={inputClass}>
              {mode === "edit" ? <option value="keep">{keepLabel}</option> : null}
              {EXPIRY_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {EXPIRY_LABELS[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {expiry === "custom" ? (
          <Field label="Expiry date" error={errors.expiresOn?.message} hint="The key stops working at 00:00 UTC that day.">
            {(a) => <TextInput {...a} type="date" {...register("expiresOn")} />}
          </Field>
        ) : null}
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Daily spend cap"
          error={errors.dailySpendCap?.message}
          hint="The most this key may spend per UTC day, in the workspace currency. Empty: no cap."
        >
          {(a) => <TextInput {...a} inputMode="decimal" autoComplete="off" placeholder="e.g. 25" {...register("dailySpendCap")} />}
        </Field>
        <Field
          label="Allowed countries"
          error={errors.allowedCountries?.message}
          hint="Country codes such as GB, IE, separated by commas. Empty: any country."
        >
          {(a) => <TextInput {...a} autoComplete="off" placeholder="e.g. GB, IE" {...register("allowedCountries")} />}
        </Field>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">IP allowlist</legend>
        <p className="text-xs text-slate-600">IPv4 or IPv6 ranges allowed to use the key. None means any address.</p>
        <ul className="space-y-2">
          {cidrs.fields.map((item, index) => (
            <li key={item.id}>
              <div className="flex gap-2">
                <TextInput
                  aria-label={`Allowed CIDR ${index + 1}`}
                  aria-invalid={Boolean(errors.allowedCidrs?.[index]?.value)}
                  className="font-mono"
                  {...register(`allowedCidrs.${index}.value` as const)}
                />
                <Button variant="secondary" onClick={() => cidrs.remove(index)} aria-label={`Remove CIDR ${index + 1}`}>
                  Remove
                </Button>
              </div>
              <FieldError message={errors.allowedCidrs?.[index]?.value?.message} />
            </li>
          ))}
        </ul>
        <div className="flex gap-2">
          <TextInput
            aria-label="Allowed CIDRs"
            placeholder="203.0.113.0/24 or 2001:db8::/32"
            className="font-mono"
            value={newCidr}
            onChange={(e) => setNewCidr(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                if (newCidr.trim()) cidrs.append({ value: newCidr.trim() }, { shouldFocus: false });
                setNewCidr("");
              }
            }}
          />
          <Button
            variant="secondary"
            onClick={() => {
              if (newCidr.trim()) cidrs.append({ value: newCidr.trim() }, { shouldFocus: false });
              setNewCidr("");
            }}
          >
            Add CIDR
          </Button>
        </div>
        <FieldError message={errors.allowedCidrs?.message ?? errors.allowedCidrs?.root?.message} />
      </fieldset>

      <Field
        label="Postback URL"
        error={errors.postbackUrl?.message}
        hint="Delivery reports for this key's messages go here instead of the workspace webhook."
      >
        {(a) => <TextInput {...a} type="url" inputMode="url" placeholder="https://example.com/sms/delivery" {...register("postbackUrl")} />}
      </Field>

      <CheckboxField
        label="Off the record"
        description="Requests made with this key are not written to the request log; counters still move."
        {...register("offTheRecord")}
      />

      {formError ? (
        <p role="status" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {formError}
        </p>
      ) : null}

      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={formState.isSubmitting}>
          {mode === "create" ? "Create key" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
