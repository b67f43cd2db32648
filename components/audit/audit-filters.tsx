import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS, AUDIT_TARGET_LABELS, AUDIT_TARGET_TYPES } from "@/lib/audit/actions";
import { AUDIT_PERIODS, type AuditPeriod } from "@/lib/audit/query";

const PERIOD_LABELS: Record<AuditPeriod, string> = {
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
};

type Values = Partial<Record<"actor" | "action" | "target" | "target_id" | "period" | "from" | "to", string>>;
export type ActorOption = { value: string; label: string };

function Filter({ name, label, error, children }: { name: string; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={`audit-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`audit-${name}-error`} className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const control = (name: string, error?: string) => ({
  id: `audit-${name}`,
  name,
  "aria-invalid": Boolean(error),
  "aria-describedby": error ? `audit-${name}-error` : undefined,
});

/** The Audit log's filters: a plain GET form, so a filtered view is a link to share (and the export takes the same parameters). */
export function AuditFilters({ values, errors, actors }: { values: Values; errors: Record<string, string>; actors: ActorOption[] }) {
  return (
    // Keyed by the values: a link that changes the filters (an actor's name) remounts the form, so the controls show them.
    <form
      key={JSON.stringify(values)}
      method="get"
      className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4 lg:grid-cols-7"
    >
      <Filter name="actor" label="Actor" error={errors.actor}>
        <select {...control("actor", errors.actor)} defaultValue={values.actor ?? ""} className={inputClass}>
          <option value="">Anyone</option>
          {actors.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </Filter>
      <Filter name="action" label="Action" error={errors.action}>
        <select {...control("action", errors.action)} defaultValue={values.action ?? ""} className={inputClass}>
          <option value="">Any action</option>
          {AUDIT_ACTION_NAMES.map((a) => (
            <option key={a} value={a}>
              {AUDIT_ACTIONS[a].label}
            </option>
          ))}
        </select>
      </Filter>
      <Filter name="target" label="Target" error={errors.target}>
        <select {...control("target", errors.target)} defaultValue={values.target ?? ""} className={inputClass}>
          <option value="">Any target</option>
          {AUDIT_TARGET_TYPES.map((t) => (
            <option key={t} value={t}>
              {AUDIT_TARGET_LABELS[t]}
            </option>
          ))}
        </select>
      </Filter>
      <Filter name="target_id" label="Target ID" error={errors.target_id}>
        <input
          type="search"
          {...control("target_id", errors.target_id)}
          defaultValue={values.target_id}
          placeholder="key_…"
          className={inputClass}
        />
      </Filter>
      <Filter name="period" label="Period" error={errors.period}>
        <select {...control("period", errors.period)} defaultValue={values.period ?? ""} className={inputClass}>
          <option value="">Any time</option>
          {AUDIT_PERIODS.map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
      </Filter>
      <Filter name="from" label="From" error={errors.from}>
        <input type="date" {...control("from", errors.from)} defaultValue={values.from} className={inputClass} />
      </Filter>
      <Filter name="to" label="To" error={errors.to}>
        <input type="date" {...control("to", errors.to)} defaultValue={values.to} className={inputClass} />
      </Filter>
      <div className="col-span-2 flex items-end gap-2 sm:col-span-4 lg:col-span-7">
        <Button type="submit">Apply</Button>
        <a href="?" className="rounded-md px-2 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
          Reset
        </a>
        <p className="ml-auto hidden text-xs text-slate-600 sm:block">From and To (UTC days, To included) win over Period.</p>
      </div>
    </form>
  );
}
