import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { eventLabel } from "@/lib/webhooks/event-names";
import { ATTEMPT_STATUSES, LOG_EVENTS, LOG_PERIODS, type AttemptStatus, type LogPeriod } from "@/lib/webhooks/logs";

export const STATUS_LABELS: Record<AttemptStatus, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  pending: "Pending retry",
};

const PERIOD_LABELS: Record<LogPeriod, string> = {
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
};

export { eventLabel } from "@/lib/webhooks/event-names";

type Values = Partial<Record<"status" | "event" | "period", string>>;

function Filter({ name, label, error, children }: { name: string; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={`log-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`log-${name}-error`} className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const control = (name: string, error?: string) => ({
  id: `log-${name}`,
  name,
  "aria-invalid": Boolean(error),
  "aria-describedby": error ? `log-${name}-error` : undefined,
  className: inputClass,
});

/** The Delivery log's filters: a plain GET form, so a filtered log is a link to share. */
export function DeliveryLogFilters({ values, errors }: { values: Values; errors: Record<string, string> }) {
  return (
    <form method="get" aria-label="Delivery log filters" className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      <Filter name="status" label="Status" error={errors.status}>
        <select {...control("status", errors.status)} defaultValue={values.status ?? ""}>
          <option value="">Any status</option>
          {ATTEMPT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </Filter>
      <Filter name="event" label="Event" error={errors.event}>
        <select {...control("event", errors.event)} defaultValue={values.event ?? ""}>
          <option value="">Any event</option>
          {LOG_EVENTS.map((e) => (
            <option key={e} value={e}>
              {eventLabel(e)}
            </option>
          ))}
        </select>
      </Filter>
      <Filter name="period" label="Period" error={errors.period}>
        <select {...control("period", errors.period)} defaultValue={values.period ?? "7d"}>
          {LOG_PERIODS.map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
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
