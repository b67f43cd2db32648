import type { Metadata } from "next";
import Link from "next/link";
import { DeliveryLogFilters } from "@/components/webhooks/delivery-log-filters";
import { DeliveryLogTable } from "@/components/webhooks/delivery-log-table";
import { SendTest } from "@/components/webhooks/send-test";
import { WebhookSettingsForm } from "@/components/webhooks/webhook-settings-form";
import { WebhookSettingsView } from "@/components/webhooks/webhook-settings-view";
import { getDb } from "@/db";
import { mayChange } from "@/lib/portal/define-action";
import { firstValues, queryErrors } from "@/lib/portal/search-params";
import { requirePortalContext } from "@/lib/portal/session";
import { retryDelaysMs } from "@/lib/webhooks/deliver";
import { getWebhookForm } from "@/lib/webhooks/form-service";
import { deliveryLogQuerySchema, LOG_PAGE_SIZE, listDeliveryLogs, periodStart } from "@/lib/webhooks/logs";

export const metadata: Metadata = { title: "Webhooks" };

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** "Up to 3 attempts in all: a failed one is retried after 10 s, then 30 s." */
function retrySchedule(delays: number[]): string {
  if (delays.length === 0) return "One attempt per event: failed attempts are not retried.";
  const waits = delays.map(seconds);
  const list = waits.length === 1 ? waits[0] : `${waits.slice(0, -1).join(", ")}, then ${waits.at(-1)}`;
  return `Up to ${delays.length + 1} attempts per event: a failed attempt is retried after ${list}. A 2xx answer within 5 s is success; redirects are not followed.`;
}

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const context = await requirePortalContext("webhooks.page");
  const canManage = mayChange(context, "webhooks.manage");
  const db = await getDb();
  const values = firstValues(await searchParams);
  const parsed = deliveryLogQuerySchema.safeParse(values);
  const errors = parsed.success ? {} : queryErrors(parsed.error.issues);
  const delays = retryDelaysMs();
  const now = new Date();
  const [settings, log] = await Promise.all([
    getWebhookForm(db, context),
    parsed.success
      ? listDeliveryLogs(
          db,
          context.workspaceId,
          "live",
          {
            status: parsed.data.status,
            event: parsed.data.event,
            since: periodStart(parsed.data.period, now.getTime()),
            page: parsed.data.page,
            limit: LOG_PAGE_SIZE,
          },
          now,
        )
      : null,
  ]);

  const pageLink = (page: number) => {
    const next = new URLSearchParams(values);
    next.set("page", String(page));
    return `?${next.toString()}`;
  };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <p className="mt-1 text-sm text-slate-600">
          Where the {context.workspace.name} workspace sends events about its live messages and its account, and how each attempt went. Test
          keys have their own settings, changed through the API.
        </p>
      </div>

      <section aria-labelledby="settings-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Events are POSTed as JSON. Only public http(s) addresses are accepted: never one inside a private network.
        </p>
        {canManage ? <WebhookSettingsForm initial={settings} /> : <WebhookSettingsView view={settings} />}
      </section>

      {canManage ? (
        <section aria-labelledby="test-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="test-heading" className="text-lg font-semibold">
            Test event
          </h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">One attempt, now, with a sample event; it also appears in the Delivery log.</p>
          <SendTest hasUrl={settings.deliveryUrl !== null} />
        </section>
      ) : null}

      <section aria-labelledby="log-heading" className="space-y-3">
        <div>
          <h2 id="log-heading" className="text-lg font-semibold">
            Delivery log
          </h2>
          <p className="mt-1 text-sm text-slate-600">{retrySchedule(delays)}</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <DeliveryLogFilters values={values} errors={errors} />
        </div>
        {log ? (
          <>
            <DeliveryLogTable
              rows={log.rows}
              now={now}
              caption="Delivery log"
              attemptsInAll={delays.length + 1}
              empty="No attempts match these filters. Attempts appear here when events are sent."
            />
            <nav aria-label="Delivery log pages" className="flex items-center justify-between text-sm text-slate-700">
              <p>
                {log.total.toLocaleString("en-GB")} attempt{log.total === 1 ? "" : "s"} · page {log.page} of {log.totalPages}
              </p>
              <div className="flex gap-2">
                {log.page > 1 ? (
                  <Link
                    href={pageLink(log.page - 1)}
                    className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100"
                  >
                    Previous
                  </Link>
                ) : null}
                {log.page < log.totalPages ? (
                  <Link
                    href={pageLink(log.page + 1)}
                    className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100"
                  >
                    Next
                  </Link>
                ) : null}
              </div>
            </nav>
          </>
        ) : (
          <p role="status" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            Check the highlighted filters.
          </p>
        )}
      </section>
    </div>
  );
}
