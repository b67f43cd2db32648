import { getDatabase } from "@/db";
import type { Database } from "@/db/client";
import { log } from "@/lib/log";
import { CarrierSimulator, Sandbox } from "@/lib/sms/carrier";
import type { LifecycleDeps } from "@/lib/sms/lifecycle";
import { startQueue } from "@/lib/queue/queue";
import { startWorkers } from "./workers";

export type Jobs = LifecycleDeps & { stop(): Promise<void> };

const globalForJobs = globalThis as unknown as { __jobs?: Promise<Jobs> };

/**
 * The process's queue and carriers, with its workers running unless
 * JOB_WORKERS=false (an instance can then only enqueue; others do the work).
 */
export function getJobs(): Promise<Jobs> {
  globalForJobs.__jobs ??= getDatabase()
    .then((database) => createJobs(database, { workers: process.env.JOB_WORKERS !== "false" }))
    .catch((error) => {
      globalForJobs.__jobs = undefined;
      throw error;
    });
  return globalForJobs.__jobs;
}

export async function createJobs(database: Database, options: { workers: boolean; schedule?: boolean }): Promise<Jobs> {
  const queue = await startQueue(database, { schedule: options.schedule ?? options.workers });
  const jobs: Jobs = {
    db: database.db,
    queue,
    carriers: { live: new CarrierSimulator(), test: new Sandbox() },
    stop: () => queue.stop(),
  };
  if (options.workers) await startWorkers(jobs);
  log.info({ workers: options.workers }, "job queue started");
  return jobs;
}

/** Tests: use these jobs for this process's route handlers. */
export function installJobs(jobs: Jobs): void {
  globalForJobs.__jobs = Promise.resolve(jobs);
}
