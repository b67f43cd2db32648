"use client";

import { useId } from "react";
import { PRESETS, RESOURCES, permissionsOf, type NamedPermission, type Role } from "@/lib/permissions/catalog";
import { disabledReason, levelOf, levelsOf, withLevel, type ResourceLevel } from "@/lib/permissions/math";
import { inputClass } from "@/components/ui/field";

const LEVEL_LABELS: Record<ResourceLevel, string> = { none: "No access", read: "Read", write: "Write" };

/**
 * The restricted-access picker: presets, a level per resource (No access / Read /
 * Write) and a checkbox per permission named by the permission string. Everything
 * comes from the catalog; what the person's role cannot grant is disabled with the
 * reason shown beside it.
 */
export function PermissionPicker({
  value,
  onChange,
  role,
  error,
}: {
  value: NamedPermission[];
  onChange: (next: NamedPermission[]) => void;
  role: Role;
  error?: string;
}) {
  const id = useId();
  const grantable = (permissions: readonly NamedPermission[]) => permissions.every((p) => disabledReason(p, role) === null);

  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm font-medium text-slate-800" id={`${id}-presets`}>
          Presets
        </p>
        <div className="mt-1 flex flex-wrap gap-2" role="group" aria-labelledby={`${id}-presets`}>
          {PRESETS.map((preset) => {
            const ok = grantable(preset.permissions);
            return (
              <button
                key={preset.id}
                type="button"
                disabled={!ok}
                title={ok ? preset.permissions.join(", ") : "Includes permissions beyond your role"}
                onClick={() => onChange([...preset.permissions])}
                className="rounded-full border border-slate-300 px-3 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-400"
              >
                {preset.label}
              </button>
            );
          })}
        </div>
      </div>

      <div className="divide-y divide-slate-200 rounded-md border border-slate-200">
        {RESOURCES.map(({ resource, label }) => {
          const level = levelOf(value, resource);
          return (
            <fieldset key={resource} className="grid gap-2 p-3 sm:grid-cols-[8rem_1fr]">
              <legend className="sr-only">{label}</legend>
              <div className="space-y-1">
                <span aria-hidden="true" className="text-sm font-semibold text-slate-800">
                  {label}
                </span>
                <select
                  aria-label={`${label} access`}
                  className={`${inputClass} py-1`}
                  value={level}
                  onChange={(e) => onChange(withLevel(value, resource, e.target.value as ResourceLevel))}
                >
                  {levelsOf(resource).map((l) => {
                    const next = withLevel([], resource, l);
                    return (
                      <option key={l} value={l} disabled={!grantable(next)}>
                        {LEVEL_LABELS[l]}
                      </option>
                    );
                  })}
                </select>
              </div>
              <div className="space-y-2">
                {permissionsOf(resource).map((entry) => {
                  const reason = disabledReason(entry.permission, role);
                  const checkboxId = `${id}-${entry.permission}`;
                  return (
                    <div key={entry.permission} className="flex items-start gap-2">
                      <input
                        id={checkboxId}
                        type="checkbox"
                        className="mt-0.5 size-4 rounded border-slate-400"
                        checked={value.includes(entry.permission)}
                        disabled={reason !== null}
                        aria-describedby={`${checkboxId}-desc`}
                        onChange={(e) =>
                          onChange(e.target.checked ? [...value, entry.permission] : value.filter((p) => p !== entry.permission))
                        }
                      />
                      <div className="text-sm">
                        <label htmlFor={checkboxId} className="font-mono text-slate-900">
                          {entry.permission}
                        </label>
                        <p id={`${checkboxId}-desc`} className={reason ? "text-amber-800" : "text-slate-600"}>
                          {reason ?? entry.description}
                        </p>
                      </div>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          );
        })}
      </div>

      <div className="rounded-md bg-slate-100 p-3 text-sm" aria-live="polite">
        <span className="font-medium">Resulting permissions: </span>
        <output className="font-mono">{value.length ? value.join(", ") : "none"}</output>
      </div>
      {error ? <p className="text-sm text-red-700">{error}</p> : null}
    </div>
  );
}
