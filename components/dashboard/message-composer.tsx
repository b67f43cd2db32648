"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useForm, useWatch, type Resolver } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { CheckboxField, Field, inputClass, TextInput } from "@/components/ui/field";
import { Table, tableHeadClass } from "@/components/ui/table";
import { formatMoney } from "@/lib/format/money";
import { previewMessageAction, sendMessageAction } from "@/lib/portal/server-actions/messages";
import { composePreviewSchema, composeSendSchema, type ComposeSendValues } from "@/lib/sms/compose";
import type { PortalSendResult } from "@/lib/sms/portal-send";
import type { Preview } from "@/lib/sms/preview";

const PREVIEW_DELAY_MS = 300;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * "Send a test message": recipients, sender and text, in test mode unless the
 * person may send live and chooses it (then an explicit confirmation). While
 * they type, the preview of POST /sms/preview (the same function, through a
 * server action) shows per recipient and in total what the send would do, the
 * characters that force UCS-2, and the cheaper GSM-7 version, one click away.
 */
export function MessageComposer({ canSendLive, currency }: { canSendLive: boolean; currency: string }) {
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<PortalSendResult | null>(null);
  const form = useForm<ComposeSendValues>({
    resolver: zodResolver(composeSendSchema) as unknown as Resolver<ComposeSendValues>,
    defaultValues: { to: "", senderId: "Acme", message: "", mode: "test", confirmLive: false, idempotencyKey },
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const { register, handleSubmit, setError, setValue, formState, control } = form;
  const values = useWatch({ control });
  const preview = useLivePreview({
    to: values.to ?? "",
    senderId: values.senderId ?? "",
    message: values.message ?? "",
    mode: values.mode ?? "test",
  });
  const live = values.mode === "live";

  const onSubmit = handleSubmit(async () => {
    setFormError(null);
    setSent(null);
    const result = await sendMessageAction(form.getValues());
    if (!result.ok) {
      const fields = result.fieldErrors ?? {};
      for (const [name, message] of Object.entries(fields)) setError(name as keyof ComposeSendValues, { type: "server", message });
      setFormError(Object.keys(fields).length ? null : result.error);
      return;
    }
    setSent(result.data);
    // The next message is a new send: a new key, and live mode needs confirming again.
    const next = crypto.randomUUID();
    setIdempotencyKey(next);
    setValue("idempotencyKey", next);
    setValue("confirmLive", false);
  });

  return (
    <section aria-labelledby="composer-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <div>
        <h2 id="composer-heading" className="text-lg font-semibold">
          Send a test message
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Test mode sends through the sandbox: nothing is delivered or billed, and the message shows under Test data.
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <form onSubmit={onSubmit} noValidate className="min-w-0 space-y-4" aria-label="Send a test message">
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">Mode</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" value="test" {...register("mode")} className="size-4" /> Test
              </label>
              {canSendLive ? (
                <label className="flex items-center gap-2">
                  <input type="radio" value="live" {...register("mode")} className="size-4" /> Live
                </label>
              ) : null}
            </div>
            {formState.errors.mode?.message ? <p className="text-sm text-red-700">{formState.errors.mode.message}</p> : null}
          </fieldset>
          <Field
            label="Recipients"
            error={formState.errors.to?.message}
            hint="E.164 numbers, separated by commas or new lines (up to 100)."
          >
            {(a) => <textarea {...a} {...register("to")} rows={2} className={`${inputClass} font-mono`} placeholder="+447700900123" />}
          </Field>
          <Field label="Sender" error={formState.errors.senderId?.message} hint="3–11 letters and digits, or an E.164 number.">
            {(a) => <TextInput {...a} {...register("senderId")} autoComplete="off" />}
          </Field>
          <Field label="Message" error={formState.errors.message?.message}>
            {(a) => <textarea {...a} {...register("message")} rows={4} className={inputClass} />}
          </Field>
          {live ? (
            <div className="rounded-md border border-amber-300 bg-amber-50 p-3">
              <CheckboxField
                label="Send for real and bill the workspace"
                description="Live mode delivers the message to the recipients and takes its cost from the balance."
                {...register("confirmLive")}
              />
              {formState.errors.confirmLive?.message ? (
                <p className="mt-1 text-sm text-red-700">{formState.errors.confirmLive.message}</p>
              ) : null}
            </div>
          ) : null}
          {formError ? (
            <p role="alert" className="text-sm text-red-700">
              {formError}
            </p>
          ) : null}
          <Button type="submit" disabled={formState.isSubmitting}>
            {live ? "Send live message" : "Send test message"}
          </Button>
          <p role="status" className="text-sm text-green-800 empty:hidden">
            {sent ? (
              <>
                {sent.mode === "test" ? "Sent in test mode" : "Sent"}: {plural(sent.accepted, "recipient")} accepted
                {sent.mode === "live" ? `, ${formatMoney(sent.totalCost, currency)}` : ""}.{" "}
                {sent.results[0] ? (
                  <Link href={`/messages/${encodeURIComponent(sent.results[0].message_id)}`} className="font-medium underline">
                    Open the message
                  </Link>
                ) : null}
                {sent.mode === "test" ? " (with Test data on)." : null}
              </>
            ) : null}
          </p>
        </form>
        <PreviewPanel
          state={preview}
          message={values.message ?? ""}
          onRewrite={(text) => setValue("message", text, { shouldValidate: formState.isSubmitted })}
        />
      </div>
    </section>
  );
}

type PreviewState =
  { kind: "idle" } | { kind: "invalid"; message: string } | { kind: "error"; message: string } | { kind: "ready"; preview: Preview };

/** POST /sms/preview's answer for the values, asked again (debounced) whenever they change; stale answers are dropped. */
function useLivePreview(values: { to: string; senderId: string; message: string; mode: "test" | "live" }): PreviewState {
  const [state, setState] = useState<PreviewState>({ kind: "idle" });
  const latest = useRef(0);
  const { to, senderId, message, mode } = values;
  useEffect(() => {
    const ticket = ++latest.current;
    const timer = setTimeout(async () => {
      if (!to.trim() && !message.trim()) return setState({ kind: "idle" });
      // The same schema as the server's: only a body the send would accept is previewed.
      const parsed = composePreviewSchema.safeParse({ to, senderId, message, mode });
      if (!parsed.success) return setState({ kind: "invalid", message: parsed.error.issues[0]?.message ?? "Check the fields" });
      const result = await previewMessageAction({ to, senderId, message, mode });
      if (ticket !== latest.current) return;
      setState(
        result.ok
          ? { kind: "ready", preview: result.data }
          : { kind: "error", message: Object.values(result.fieldErrors ?? {})[0] ?? result.error },
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [to, senderId, message, mode]);
  return state;
}

function PreviewPanel({ state, message, onRewrite }: { state: PreviewState; message: string; onRewrite: (text: string) => void }) {
  return (
    <div role="region" aria-label="Preview" className="min-w-0 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
      <h3 className="text-sm font-semibold text-slate-800">Preview</h3>
      {state.kind === "idle" ? (
        <p className="text-sm text-slate-600">Type recipients and a message to see the price, segments and encoding.</p>
      ) : null}
      {state.kind === "invalid" || state.kind === "error" ? <p className="text-sm text-slate-700">{state.message}</p> : null}
      {state.kind === "ready" ? <PreviewDetails preview={state.preview} message={message} onRewrite={onRewrite} /> : null}
    </div>
  );
}

function PreviewDetails({ preview, message, onRewrite }: { preview: Preview; message: string; onRewrite: (text: string) => void }) {
  const { summary, recipients, ucs2_characters: forcing, gsm7_rewrite: rewrite } = preview;
  const money = (n: number | null) => (n === null ? "—" : formatMoney(n, summary.currency));
  return (
    <>
      <p aria-live="polite" className="text-sm text-slate-900">
        <span className="font-semibold">{summary.encoding}</span> · {plural(summary.segments, "segment")} ·{" "}
        {plural(summary.characters, "character")} · Total <span className="font-semibold tabular-nums">{money(summary.total_cost)}</span>
        {summary.sandbox ? <span className="text-slate-600"> (test mode: not billed)</span> : null}
        {!summary.balance_covers ? (
          <span className="block text-red-700">The balance ({money(summary.balance)}) does not cover this send.</span>
        ) : null}
      </p>
      {forcing.length ? (
        <div className="space-y-2">
          <p className="text-sm text-slate-800">
            {forcing.length === 1 ? "This character forces" : "These characters force"} UCS-2 (70 characters a segment instead of 160):
          </p>
          <p className="rounded border border-slate-200 bg-white p-2 text-sm break-words whitespace-pre-wrap" aria-hidden="true">
            <Highlighted text={message} positions={new Set(forcing.map((c) => c.position))} />
          </p>
          <ul aria-label="Characters forcing UCS-2" className="flex flex-wrap gap-2 text-sm">
            {forcing.map((c) => (
              <li key={c.position} className="rounded bg-amber-100 px-2 py-0.5 text-amber-950">
                <span className="font-mono">{c.character}</span> {c.code_point} at position {c.position + 1}
                {c.replacement !== null ? (
                  <>
                    {" "}
                    → <span className="font-mono">{c.replacement === " " ? "space" : c.replacement}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {rewrite ? (
        <div className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-green-200 bg-green-50 p-2 text-sm">
          <p className="text-green-950">
            GSM-7 version: {plural(rewrite.segments, "segment")}, {money(rewrite.total_cost)}
            {rewrite.saving > 0 ? ` (saves ${money(rewrite.saving)})` : ""}
            {rewrite.encoding !== "GSM-7" ? " — other characters still need UCS-2" : ""}.
          </p>
          <Button variant="secondary" onClick={() => onRewrite(rewrite.message)}>
            Use GSM-7 version
          </Button>
        </div>
      ) : null}
      {/* Three columns, so the table fits the preview's half of the page (no scrolling region) and a phone. */}
      <Table caption="Preview by recipient">
        <thead className={tableHeadClass}>
          <tr>
            <th scope="col" className="px-3 py-2">
              Recipient
            </th>
            <th scope="col" className="hidden px-3 py-2 sm:table-cell">
              Destination
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Cost
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {recipients.map((r, i) => (
            <tr key={`${r.dnis}-${i}`}>
              <td className="px-3 py-2">
                <span className="font-mono">{r.dnis}</span>
                {/* On a phone the destination sits under the number (its column is hidden there). */}
                <span className="block text-xs text-slate-600 sm:hidden">
                  {[r.country ?? "—", r.network].filter(Boolean).join(" · ")}
                  {r.status !== "accepted" ? (
                    <span className="text-red-700"> · {r.status === "blocked_country" ? "Blocked country" : "No price"}</span>
                  ) : null}
                </span>
              </td>
              <td className="hidden px-3 py-2 sm:table-cell">
                {r.country ?? "—"}
                {r.network ? <span className="block text-xs text-slate-600">{r.network}</span> : null}
                {r.status !== "accepted" ? (
                  <span className="block text-xs text-red-700">{r.status === "blocked_country" ? "Blocked country" : "No price"}</span>
                ) : null}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">
                {money(r.cost)}
                <span className="block text-xs text-slate-600">
                  {r.price_per_segment === null ? "" : `${plural(r.segments, "segment")} × ${money(r.price_per_segment)}`}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

/** The text with the characters at these code-point positions marked. */
function Highlighted({ text, positions }: { text: string; positions: ReadonlySet<number> }) {
  return (
    <>
      {Array.from(text).map((ch, i) =>
        positions.has(i) ? (
          <mark key={i} className="rounded bg-amber-300 px-0.5 text-slate-950">
            {ch}
          </mark>
        ) : (
          ch
        ),
      )}
    </>
  );
}
