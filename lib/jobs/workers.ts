import type { Db } from "@/db";
import { log } from "@/lib/log";
import { finalizeStuckMessages, handleReportJob, handleSubmitJob, pruneSandboxMessages, type LifecycleDeps } from "@/lib/sms/lifecycle";
import { handleDeliveryJob } from "@/lib/webhooks/deliver";
import { housekeeping } from "./housekeeping";
import { QUEUES, type Queue } from "./queue";

const POLL = { pollingIntervalSeconds: 0.5 };

/** Every worker of the app, on this process. Each job is taken by one instance (SKIP LOCKED). */
export async function startWorkers(deps: LifecycleDeps & { db: Db; queue: Queue }): Promise<void> {
  const { queue } = deps;
  /**
   * pg-boss settles a whole batch by the handler's outcome, so each job is
   * settled on its own here: a job that throws is failed (and retried per its
   * queue's policy) without dragging the rest of its batch with it.
   */
  const each =
    <T>(name: string, handle: (data: T) => Promise<unknown>, options: { concurrent?: boolean } = {}) =>
    async (jobs: { id: string; data: T }[]) => {
      const run = async (job: { id: string; data: T }) => {
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
  await queue.boss.work(QUEUES.smsSubmit, { ...POLL, batchSize: 20 }, each(QUEUES.smsSubmit, (data: { ids: number[] }) => handleSubmitJob(deps, data)));
  await queue.boss.work(QUEUES.smsReport, { ...POLL, batchSize: 200 }, each(QUEUES.smsReport, (data: Parameters<typeof handleReportJob>[1]) => handleReportJob(deps, data)));
  // Webhook attempts wait on other people's servers (up to 5 s each): a batch runs them side by side.
  await queue.boss.work(
    QUEUES.webhookDeliver,
    { ...POLL, batchSize: 20 },
    each(QUEUES.webhookDeliver, (data: Parameters<typeof handleDeliveryJob>[2]) => handleDeliveryJob(deps.db, queue, data), { concurrent: true }),
  );
  await queue.boss.work(
    QUEUES.smsFinalizeStuck,
    POLL,
    each(QUEUES.smsFinalizeStuck, async () => log.info({ finalized: await finalizeStuckMessages(deps) }, "stuck messages finalized")),
  );
  await queue.boss.work(QUEUES.smsSandboxRetention, POLL, each(QUEUES.smsSandboxRetention, () => pruneSandboxMessages(deps.db)));
  await queue.boss.work(QUEUES.housekeeping, POLL, each(QUEUES.housekeeping, () => housekeeping(deps.db)));
  await queue.boss.schedule(QUEUES.smsFinalizeStuck, "7 * * * *");
  await queue.boss.schedule(QUEUES.smsSandboxRetention, "*/10 * * * *");
  await queue.boss.schedule(QUEUES.housekeeping, "37 * * * *");
}
