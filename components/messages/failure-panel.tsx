import { Badge } from "@/components/ui/badge";
import { FAILURE_CATEGORY_LABELS, type Failure } from "@/lib/sms/status-codes";

/**
 * Why a message was not delivered and what to do, in words (the API's
 * `failure`, from lib/sms/status-codes.ts). A landmark region named by its
 * heading, so a screen reader can jump to it.
 */
export function FailurePanel({ failure }: { failure: Failure }) {
  return (
    <section aria-labelledby="failure" className="rounded-lg border border-red-200 bg-red-50/60 p-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id="failure" className="text-base font-semibold text-slate-900">
          Why it was not delivered
        </h2>
        <Badge tone={failure.retryable ? "amber" : "red"}>{failure.retryable ? "Worth retrying" : "Do not retry unchanged"}</Badge>
      </div>
      <dl className="mt-3 grid gap-3 text-sm sm:grid-cols-[10rem_1fr] sm:gap-x-6">
        <dt className="text-slate-600">Reason</dt>
        <dd className="-mt-2 font-medium text-slate-900 sm:mt-0">{FAILURE_CATEGORY_LABELS[failure.category]}</dd>
        <dt className="text-slate-600">What happened</dt>
        <dd className="-mt-2 text-slate-900 sm:mt-0">{failure.description}</dd>
        <dt className="text-slate-600">What to do</dt>
        <dd className="-mt-2 font-medium text-slate-900 sm:mt-0">{failure.action}</dd>
      </dl>
    </section>
  );
}
