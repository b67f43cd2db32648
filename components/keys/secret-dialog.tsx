"use client";

import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, inputClass } from "@/components/ui/field";

export type ShownSecret = { title: string; keyName: string; secret: string; signingSecret: string | null; note?: string };

/**
 * Shows a secret once. It cannot be dismissed — not by Escape, not by a click
 * outside — until the person ticks "I have saved this key".
 */
export function SecretDialog({ shown, onDone }: { shown: ShownSecret | null; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  const close = () => {
    if (!saved) return;
    setSaved(false);
    onDone();
  };
  return (
    <Dialog
      open={shown !== null}
      onClose={close}
      dismissible={saved}
      title={shown?.title ?? ""}
      description="Copy the secret now: it is shown this once and cannot be recovered. Store it in a secret manager, never in source code."
    >
      {shown ? (
        <div className="space-y-4">
          <SecretField label="API key" copyLabel="Copy" value={shown.secret} />
          {shown.signingSecret ? <SecretField label="Signing secret" copyLabel="Copy signing secret" value={shown.signingSecret} /> : null}
          {shown.note ? <p className="text-sm text-slate-700">{shown.note}</p> : null}
          <CheckboxField label="I have saved this key" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
          <div className="flex justify-end">
            <Button onClick={close} disabled={!saved}>
              Done
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}

export function SecretField({ label, copyLabel, value }: { label: string; copyLabel: string; value: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      // No clipboard permission (e.g. insecure origin): select the text for a manual copy.
      input.current?.select();
      setCopied(document.execCommand?.("copy") ? "copied" : "failed");
    }
  }

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          className={`${inputClass} font-mono`}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <Button variant="secondary" onClick={copy}>
          {copyLabel}
        </Button>
      </div>
      <p className="h-4 text-xs text-slate-600" aria-live="polite">
        {copied === "copied" ? "Copied to the clipboard." : copied === "failed" ? "Copy failed: select the text and copy it." : ""}
      </p>
    </div>
  );
}
