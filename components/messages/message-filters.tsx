import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { PERIODS, STATUS_FILTERS } from "@/lib/sms/filters";

export const PERIOD_LABELS: Record<(typeof PERIODS)[number], string> = {
  today: "Today",
  yesterday: "Yesterday",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  this_month: "This month",
  last_month: "Last month",
};

const STATUS_LABELS: Record<(typeof STATUS_FILTERS)[number], string> = {
  delivered: "Delivered",
  undelivered: "Undelivered or failed",
  failed: "Failed",
  expired: "Expired",
  pending: "Pending or sent",
  sent: "Sent",
  unknown: "Unknown",
};

type Values = Partial<Record<"period" | "from" | "to" | "status" | "phone" | "sender" | "country", string>>;

function Filter({ name, label, error, children }: { name: string; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={`filter-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`filter-${name}-error`} className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const control = (name: string, error?: string) => ({
  id: `filter-${name}`,
  name,
  "aria-invalid": Boolean(error),
  "aria-describedby": error ? `filter-${name}-error` : undefined,
});

/** The Messages page's filters: a plain GET form, so a filtered view is a link to share. */
export function MessageFilters({ values, errors }: { values: Values; errors: Record<string, string> }) {
  return (
    <form method="get" className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4">
      <Filter name="period" label="Period" error={errors.period}>
        <select {...control("period", errors.period)} defaultValue={values.period ?? "7d"} className={inputClass}>
          {PERIODS.map((p) => (
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
      <Filter name="status" label="Status" error={errors.status}>
        <select {...control("status", errors.status)} defaultValue={values.status ?? ""} className={inputClass}>
          <option value="">Any status</option>
          {STATUS_FILTERS.filter((s) => s !== "failed" && s !== "sent").map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </Filter>
      <Filter name="phone" label="Phone" error={errors.phone}>
        <input type="search" {...control("phone", errors.phone)} defaultValue={values.phone} placeholder="+4474…" className={inputClass} />
      </Filter>
      <Filter name="sender" label="Sender" error={errors.sender}>
        <input type="search" {...control("sender", errors.sender)} defaultValue={values.sender} placeholder="Acme" className={inputClass} />
      </Filter>
      <Filter name="country" label="Country" error={errors.country}>
        <input
          type="search"
          {...control("country", errors.country)}
          defaultValue={values.country}
          placeholder="GB"
          maxLength={2}
          className={`${inputClass} uppercase`}
        />
      </Filter>
      <div className="flex items-end gap-2">
        <Button type="submit">Apply</Button>
        <a href="?" className="rounded-md px-2 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
          Reset
        </a>
      </div>
    </form>
  );
}
