"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { Switch } from "@/components/ui/switch";
import { turnOffTwoFactorSchema, twoFactorCodeSchema } from "@/lib/auth/account-schemas";
import {
  confirmTwoFactorAction,
  regenerateRecoveryCodesAction,
  requireTwoFactorAction,
  startTwoFactorAction,
  turnOffTwoFactorAction,
} from "@/lib/portal/server-actions/account";
import { applyResult, NoticeLine, type Notice } from "./profile-forms";

/** "Turn on": makes a secret; the page then shows its QR code and the code field. */
export function TurnOnButton() {
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="space-y-2">
      <Button
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const result = await startTwoFactorAction();
          setBusy(false);
          if (!result.ok) setNotice({ ok: false, text: result.error });
        }}
      >
        Turn on
      </Button>
      <NoticeLine notice={notice} />
    </div>
  );
}

/**
 * A setup in progress: the QR code and the secret (`children`, drawn on the
 * server), the code that proves the app has them, then — in their place — the
 * recovery codes, shown this once.
 */
export function PendingSetup({ children }: { children: ReactNode }) {
  const [codes, setCodes] = useState<string[] | null>(null);
  if (codes) return <RecoveryCodes codes={codes} />;
  return (
    <div className="space-y-4">
      {children}
      <ConfirmSetupForm onConfirmed={setCodes} />
      <CancelSetupButton />
    </div>
  );
}

function RecoveryCodes({
  codes,
  intro = "Two-factor authentication is on. If you lose your device, each of these codes signs you in once. They are shown only now: store them somewhere safe.",
}: {
  codes: string[];
  intro?: string;
}) {
  const router = useRouter();
  return (
    <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4">
      <h3 className="font-semibold text-amber-950">Save your recovery codes</h3>
      <p className="text-sm text-amber-950">{intro}</p>
      <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-2 font-mono text-sm sm:grid-cols-5">
        {codes.map((code) => (
          <li key={code} className="rounded bg-white px-2 py-1 text-center ring-1 ring-amber-200">
            {code}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(codes.join("\n"))}>
          Copy codes
        </Button>
        <Button onClick={() => router.refresh()}>I have saved these codes</Button>
      </div>
    </div>
  );
}

/** The code that proves the app has the secret. */
function ConfirmSetupForm({ onConfirmed }: { onConfirmed: (codes: string[]) => void }) {
  const form = useForm<z.input<typeof twoFactorCodeSchema>>({ resolver: zodResolver(twoFactorCodeSchema), defaultValues: { code: "" } });
  const [notice, setNotice] = useState<Notice>(null);

  return (
    <form
      noValidate
      className="flex flex-col gap-3 sm:flex-row sm:items-start"
      onSubmit={form.handleSubmit(async (values) => {
        const result = await confirmTwoFactorAction(values);
        if (result.ok) onConfirmed(result.data.recoveryCodes);
        else setNotice(applyResult(form, result, ["code"]));
      })}
    >
      <div className="sm:w-56">
        <Field label="Authentication code" error={form.formState.errors.code?.message}>
          {(a) => <TextInput {...a} {...form.register("code")} inputMode="numeric" autoComplete="one-time-code" />}
        </Field>
      </div>
      <div className="sm:pt-6">
        <Button type="submit" disabled={form.formState.isSubmitting}>
          Confirm
        </Button>
      </div>
      <NoticeLine notice={notice} />
    </form>
  );
}

/** Abandons a setup in progress (nothing to prove: it was never in force). */
function CancelSetupButton() {
  return (
    <Button variant="ghost" onClick={() => turnOffTwoFactorAction({ credential: "cancel" })}>
      Cancel setup
    </Button>
  );
}

/** With a current code or the password: new recovery codes (shown once), or "Turn off" (unless the organization requires it). */
export function ManageTwoFactorForm({ turnOffRefusal }: { turnOffRefusal: string | null }) {
  const form = useForm<z.input<typeof turnOffTwoFactorSchema>>({
    resolver: zodResolver(turnOffTwoFactorSchema),
    defaultValues: { credential: "" },
  });
  const [notice, setNotice] = useState<Notice>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  if (codes)
    return (
      <RecoveryCodes
        codes={codes}
        intro="Your old recovery codes no longer work. Each of these signs you in once; they are shown only now: store them somewhere safe."
      />
    );
  const busy = form.formState.isSubmitting;
  return (
    <form noValidate className="space-y-3" onSubmit={(e) => e.preventDefault()}>
      <div className="sm:w-72">
        <Field
          label="Current code or password"
          error={form.formState.errors.credential?.message}
          hint="Needed for new recovery codes or to turn it off."
        >
          {(a) => <TextInput {...a} {...form.register("credential")} type="password" autoComplete="off" />}
        </Field>
      </div>
      <NoticeLine notice={notice} />
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          disabled={busy}
          onClick={form.handleSubmit(async (values) => {
            const result = await regenerateRecoveryCodesAction(values);
            if (result.ok) setCodes(result.data.recoveryCodes);
            else setNotice(applyResult(form, result, ["credential"]));
          })}
        >
          New recovery codes
        </Button>
        {turnOffRefusal ? null : (
          <Button
            variant="danger"
            disabled={busy}
            onClick={form.handleSubmit(async (values) => {
              const result = await turnOffTwoFactorAction(values);
              if (!result.ok) setNotice(applyResult(form, result, ["credential"]));
            })}
          >
            Turn off
          </Button>
        )}
      </div>
      {turnOffRefusal ? <p className="text-sm text-slate-600">{turnOffRefusal}</p> : null}
    </form>
  );
}

/** An Owner's switch: every member of the organization must use two-factor sign-in. */
export function RequireSwitch({ organization, required, canRequire }: { organization: string; required: boolean; canRequire: boolean }) {
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="space-y-2">
      <Switch
        label={`Require two-factor authentication for everyone in ${organization}`}
        checked={required}
        disabled={busy || (!required && !canRequire)}
        onChange={async (next) => {
          setBusy(true);
          const result = await requireTwoFactorAction({ required: next });
          setBusy(false);
          setNotice(result.ok ? null : { ok: false, text: result.error });
        }}
      />
      {!required && !canRequire ? <p className="text-xs text-slate-600">Turn it on for yourself first.</p> : null}
      <NoticeLine notice={notice} />
    </div>
  );
}
