import type { Db } from "@/db";
import { log } from "@/lib/log";
import {
  finalizeStuckMessages,
  handleReportJob,
  handleSubmitJob,
  pruneSandboxMessages,
  reportsOf,
  type LifecycleDeps,
  type ReportJob,
} from "@/lib/sms/lifecycle";
import { foldMessageStats } from "@/lib/sms/aggregates";
import { announceKeyExpiry } from "@/lib/keys/expiry-events";
import { handleDeliveryJob } from "@/lib/webhooks/deliver";
import { housekeeping } from "./housekeeping";
import { requestLogRetention } from "./retention";
import { QUEUES, type Queue } from "@/lib/queue/queue";

const POLL = { pollingIntervalSeconds: 0.5 };

type Job<T> = { id: string; data: T };
type Failer = { boss: Pick<Queue["boss"], "fail"> };

/**
 * pg-boss settles a whole batch by the handler's outcome, so each job is
 * settled on its own here: a job that throws is failed (and retried per its
 * queue's policy) without dragging the rest of its batch with it.
 */
export const each =
  <T>(queue: Failer, name: string, handle: (data: T) => Promise<unknown>, options: { concurrent?: boolean } = {}) =>
  async (jobs: Job<T>[]) => {
    const run = async (job: Job<T>) => {
      try {
        await handle(job.data);
      } catch (error) {
        log.error({ err: error, queue: name, job: job.id }, "job failed");
        await queue.boss.fail(name, job.id, { message: String((error as Error)?.message ?? error) });
      }
    };
    if (options.concurrent) await Promise.all(jobs.map(run));
    else for (const job of jobs) await run(job);
  };

/**
 * A fetched batch handled as ONE call (one transaction, a constant number of
 * statements, instead of one per job: what the embedded database's single
 * connection needs under load). Only when that call throws is each job run
 * and settled on its own (`each`), so one bad job still fails alone.
 */
export const together =
  <T>(queue: Failer, name: string, handle: (list: T[]) => Promise<unknown>) =>
  async (jobs: Job<T>[]) => {
    if (jobs.length > 1) {
      try {
        await handle(jobs.map((job) => job.data));
        return;
      } catch (error) {
        log.warn({ err: error, queue: name, jobs: jobs.length }, "batch failed as a whole; running each job on its own");
      }
    }
    await each(queue, name, (data: T) => handle([data]))(jobs);
  };

/** Every worker of the app, on this process. Each job is taken by one instance (SKIP LOCKED). */
export async function startWorkers(deps: LifecycleDeps & { db: Db; queue: Queue }): Promise<void> {
  const { queue } = deps;
  await queue.boss.work(
    QUEUES.smsSubmit,
    { ...POLL, batchSize: 20 },
    together(queue, QUEUES.smsSubmit, (list: { ids: number[] }[]) => handleSubmitJob(deps, { ids: list.flatMap((data) => data.ids) })),
  );
  await queue.boss.work(
    QUEUES.smsReport,
    { ...POLL, batchSize: 200 },
    together(queue, QUEUES.smsReport, (list: ReportJob[]) => handleReportJob(deps, { reports: list.flatMap(reportsOf) })),
  );
  // Webhook attempts wait on other people's servers (up to 5 s each): a batch runs them side by side.
  await queue.boss.work(
    QUEUES.webhookDeliver,
    { ...POLL, batchSize: 20 },
    each(queue, QUEUES.webhookDeliver, (data: Parameters<typeof handleDeliveryJob>[2]) => handleDeliveryJob(deps.db, queue, data), {
      concurrent: true,
    }),
  );
  await queue.boss.work(
    QUEUES.smsFinalizeStuck,
    POLL,
    each(queue, QUEUES.smsFinalizeStuck, async () =>
      log.info({ finalized: await finalizeStuckMessages(deps) }, "stuck messages finalized"),
    ),
  );
  await queue.boss.work(
    QUEUES.smsSandboxRetention,
    POLL,
    each(queue, QUEUES.smsSandboxRetention, () => pruneSandboxMessages(deps.db)),
  );
  await queue.boss.work(
    QUEUES.smsStatsFold,
    POLL,
    each(queue, QUEUES.smsStatsFold, () => foldMessageStats(deps.db)),
  );
  await queue.boss.work(
    QUEUES.keyExpiryEvents,
    POLL,
    each(queue, QUEUES.keyExpiryEvents, () => announceKeyExpiry(deps.db, queue)),
  );
  await queue.boss.work(
    QUEUES.housekeeping,
    POLL,
    each(queue, QUEUES.housekeeping, () => housekeeping(deps.db)),
  );
  await queue.boss.work(
    QUEUES.requestLogRetention,
    POLL,
    each(queue, QUEUES.requestLogRetention, () => requestLogRetention(deps.db)),
  );
  await queue.boss.schedule(QUEUES.smsFinalizeStuck, "7 * * * *");
  await queue.boss.schedule(QUEUES.smsSandboxRetention, "*/10 * * * *");
  await queue.boss.schedule(QUEUES.smsStatsFold, "* * * * *");
  await queue.boss.schedule(QUEUES.keyExpiryEvents, "*/5 * * * *");
  await queue.boss.schedule(QUEUES.housekeeping, "37 * * * *");
  await queue.boss.schedule(QUEUES.requestLogRetention, "17 * * * *");
}
