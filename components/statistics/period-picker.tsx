import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { PERIOD_LABELS } from "@/components/messages/message-filters";
import { PERIODS } from "@/lib/sms/filters";

type Values = Partial<Record<"period" | "from" | "to", string>>;

function Control({ name, label, error, children }: { name: string; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={`stats-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`stats-${name}-error`} className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const control = (name: string, error?: string) => ({
  id: `stats-${name}`,
  name,
  "aria-invalid": Boolean(error),
  "aria-describedby": error ? `stats-${name}-error` : undefined,
});

/** The Statistics page's "Period": the API's `period`, or `from`/`to` (which override it); a plain GET form. */
export function PeriodPicker({ values, errors }: { values: Values; errors: Record<string, string> }) {
  return (
    <form method="get" className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4">
      <Control name="period" label="Period" error={errors.period}>
        <select {...control("period", errors.period)} defaultValue={values.period ?? "7d"} className={inputClass}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
      </Control>
      <Control name="from" label="From" error={errors.from}>
        <input type="date" {...control("from", errors.from)} defaultValue={values.from} className={inputClass} />
      </Control>
      <Control name="to" label="To" error={errors.to}>
        <input type="date" {...control("to", errors.to)} defaultValue={values.to} className={inputClass} />
      </Control>
      <div className="flex items-end gap-2">
        <Button type="submit">Apply</Button>
        <a href="?" className="rounded-md px-2 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
          Reset
        </a>
      </div>
    </form>
  );
}
