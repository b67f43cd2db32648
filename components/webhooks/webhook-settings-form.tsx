"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, type FieldPath, type Resolver } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field, FieldError, TextInput } from "@/components/ui/field";
import { clearWebhookSecretAction, saveWebhooksAction } from "@/lib/portal/server-actions/webhooks";
import { ACCOUNT_EVENT_NAMES, EVENT_DESCRIPTIONS, MESSAGE_EVENT_NAMES } from "@/lib/webhooks/event-names";
import { DELIVERY_FIELDS } from "@/lib/webhooks/fields";
import { webhookFormSchema, type WebhookFormValues } from "@/lib/webhooks/form-schema";
import type { WebhookFormView } from "@/lib/webhooks/form-service";
import { SIGNING_SECRET_MAX } from "@/lib/webhooks/http-url";
import { DELIVERY_FIELD_HINTS, SecretState } from "./webhook-settings-view";

function valuesOf(view: WebhookFormView): WebhookFormValues {
  return {
    deliveryUrl: view.deliveryUrl ?? "",
    clickUrl: view.clickUrl ?? "",
    deliveryFields: view.deliveryFields as WebhookFormValues["deliveryFields"],
    events: view.events,
    signingSecret: "",
  };
}

/** The live webhook settings, for members with webhooks.manage: one save, one audit event. */
export function WebhookSettingsForm({ initial }: { initial: WebhookFormView }) {
  const [view, setView] = useState(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [clearing, setClearing] = useState(false);
  const form = useForm<WebhookFormValues>({
    resolver: zodResolver(webhookFormSchema as never) as unknown as Resolver<WebhookFormValues>,
    defaultValues: valuesOf(initial),
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const { register, handleSubmit, setError, formState, reset } = form;
  const errors = formState.errors;

  const onSubmit = handleSubmit(
    async () => {
      setMessage(null);
      // The server parses the raw values with the same schema the resolver used.
      const result = await saveWebhooksAction(form.getValues());
      if (result.ok) {
        setView(result.data);
        // The secret is write-only: the field empties once it is stored.
        reset(valuesOf(result.data));
        setMessage({ ok: true, text: "Saved." });
        return;
      }
      setMessage({ ok: false, text: result.error });
      for (const [field, text] of Object.entries(result.fieldErrors ?? {})) {
        setError(field as FieldPath<WebhookFormValues>, { type: "server", message: text });
      }
    },
    () => setMessage({ ok: false, text: "Check the highlighted fields." }),
  );

  async function clearSecret() {
    setMessage(null);
    setClearing(true);
    const result = await clearWebhookSecretAction();
    setClearing(false);
    if (result.ok) {
      setView(result.data);
      setMessage({ ok: true, text: "Signing secret cleared: deliveries are now unsigned." });
    } else setMessage({ ok: false, text: result.error });
  }

  const fieldsError =
    errors.deliveryFields?.message ?? (errors.deliveryFields as { root?: { message?: string } } | undefined)?.root?.message;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <div className="grid gap-4 lg:grid-cols-2">
        <Field
          label="Delivery URL"
          error={errors.deliveryUrl?.message}
          hint="Receives a delivery event when a message gets its final status. Leave blank to send none."
        >
          {(a) => (
            <TextInput
              {...a}
              {...register("deliveryUrl")}
              type="url"
              inputMode="url"
              autoComplete="off"
              placeholder="https://example.com/sms/delivery"
            />
          )}
        </Field>
        <Field label="Click URL" error={errors.clickUrl?.message} hint="Receives a click event when a recipient opens a tracked link.">
          {(a) => (
            <TextInput
              {...a}
              {...register("clickUrl")}
              type="url"
              inputMode="url"
              autoComplete="off"
              placeholder="https://example.com/sms/click"
            />
          )}
        </Field>
      </div>

      <fieldset aria-describedby={fieldsError ? "delivery-fields-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Delivery fields</legend>
        <p className="text-xs text-slate-600">What each delivery event carries, in this order.</p>
        <div className="mt-2 grid gap-x-4 gap-y-2 sm:grid-cols-2 lg:grid-cols-3">
          {DELIVERY_FIELDS.map((field) => (
            <label key={field} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                value={field}
                {...register("deliveryFields")}
                className="mt-0.5 size-4 rounded border-slate-400 text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
              />
              <span>
                <code className="font-medium text-slate-900">{field}</code>
                <span className="block text-xs text-slate-600">{DELIVERY_FIELD_HINTS[field]}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError id="delivery-fields-error" message={fieldsError} />
      </fieldset>

      <fieldset aria-describedby={errors.events ? "events-error" : "events-hint"}>
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <p id="events-hint" className="text-xs text-slate-600">
          Which events are sent. Account events go to the Delivery URL, signed like delivery events.
        </p>
        <div className="mt-2 grid gap-4 md:grid-cols-2">
          {[
            { title: "Message events", names: MESSAGE_EVENT_NAMES },
            { title: "Account events", names: ACCOUNT_EVENT_NAMES },
          ].map((group) => (
            <div key={group.title} role="group" aria-label={group.title} className="space-y-2">
              <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase" aria-hidden="true">
                {group.title}
              </p>
              {group.names.map((event) => (
                <label key={event} className="flex items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    value={event}
                    {...register("events")}
                    className="mt-0.5 size-4 rounded border-slate-400 text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
                  />
                  <span>
                    <code className="font-medium text-slate-900">{event}</code>
                    <span className="block text-xs text-slate-600">{EVENT_DESCRIPTIONS[event]}</span>
                  </span>
                </label>
              ))}
            </div>
          ))}
        </div>
        <FieldError id="events-error" message={errors.events?.message} />
      </fieldset>

      <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3">
        <SecretState view={view} />
        <Field
          label="Signing secret"
          error={errors.signingSecret?.message}
          hint={`Write-only: 1–${SIGNING_SECRET_MAX} characters, never shown again. ${view.signingSecretSet ? "Type a new one to replace it; leave blank to keep it." : "Leave blank to send unsigned events."}`}
        >
          {(a) => <TextInput {...a} {...register("signingSecret")} type="password" autoComplete="new-password" spellCheck={false} />}
        </Field>
        {view.signingSecretSet ? (
          <Button variant="secondary" onClick={clearSecret} disabled={clearing || formState.isSubmitting}>
            Clear signing secret
          </Button>
        ) : null}
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={formState.isSubmitting || clearing}>
          Save
        </Button>
        <p role="status" className={message?.ok ? "text-sm text-green-800" : "text-sm text-red-700"}>
          {message?.text ?? ""}
        </p>
      </div>
    </form>
  );
}
