"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { updateWorkspaceSettingsAction } from "@/lib/portal/server-actions/workspace-settings";

/** Blocked destination countries: recipients there come back blocked_country and are not billed. */
export function BlockedCountriesForm({ initial, countries }: { initial: string[]; countries: { code: string; name: string }[] }) {
  const [selected, setSelected] = useState<string[]>(initial);
  const [adding, setAdding] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const nameOf = (code: string) => countries.find((c) => c.code === code)?.name ?? code;

  return (
    <form
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const result = await updateWorkspaceSettingsAction({ blockedCountries: selected });
        setBusy(false);
        setMessage(result.ok ? { ok: true, text: "Saved." } : { ok: false, text: result.fieldErrors?.blockedCountries ?? result.error });
      }}
    >
      <div className="flex items-end gap-2">
        <Field label="Block a country">
          {(a) => (
            <select {...a} className={inputClass} value={adding} onChange={(e) => setAdding(e.target.value)}>
              <option value="">Choose a country…</option>
              {countries
                .filter((c) => !selected.includes(c.code))
                .map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name} ({c.code})
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Button
          variant="secondary"
          disabled={!adding}
          onClick={() => {
            setSelected((s) => [...s, adding].sort());
            setAdding("");
          }}
        >
          Block
        </Button>
      </div>
      {selected.length === 0 ? (
        <p className="text-sm text-slate-600">No country is blocked: messages may go to any priced destination.</p>
      ) : (
        <ul aria-label="Blocked countries" className="flex flex-wrap gap-2">
          {selected.map((code) => (
            <li key={code} className="flex items-center gap-1 rounded-full bg-slate-100 py-1 pr-1 pl-3 text-sm">
              {nameOf(code)} ({code})
              <button
                type="button"
                aria-label={`Unblock ${nameOf(code)}`}
                className="rounded-full px-2 hover:bg-slate-200"
                onClick={() => setSelected((s) => s.filter((c) => c !== code))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {message ? (
        <p role="status" className={message.ok ? "text-sm text-green-800" : "text-sm text-red-700"}>
          {message.text}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        Save settings
      </Button>
    </form>
  );
}
