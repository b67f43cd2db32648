import PgBoss from "pg-boss";
import { sql, type SQL } from "drizzle-orm";
import { executeRows, toDriverParam, type Database, type DbOrTx } from "@/db/client";
import { log } from "@/lib/log";

/**
 * The job queue: pg-boss on the app's own database connection (Postgres or
 * PGlite alike, through `Database.query`), so the embedded default needs no
 * other server and enqueueing can share the transaction of the data it is
 * about (see `inTransaction`). Jobs survive restarts and are shared by every
 * instance: any instance's workers may take any job (SKIP LOCKED).
 */
export const QUEUES = {
  /** Hand accepted messages to the carrier (or the sandbox). */
  smsSubmit: "sms-submit",
  /** A delivery report: the final status of a message. */
  smsReport: "sms-report",
  /** One attempt to deliver one webhook event. */
  webhookDeliver: "webhook-deliver",
  /** Hourly: messages with no final status after 3 days become UNDELIV. */
  smsFinalizeStuck: "sms-finalize-stuck",
  /** Every 10 minutes: test messages older than 24 h, or beyond the last 500 per workspace, are deleted. */
  smsSandboxRetention: "sms-sandbox-retention",
  /** Every minute: the statistics deltas of message changes are folded into their running aggregates. */
  smsStatsFold: "sms-stats-fold",
  /** Every 5 minutes: key.expiring / key.expired events for keys reaching those points (lib/keys/expiry-events.ts). */
  keyExpiryEvents: "key-expiry-events",
  /** Hourly: expired idempotency keys, HMAC replay entries and rate-limit counters. */
  housekeeping: "housekeeping",
  /** Hourly: the request log and its hourly counters past REQUEST_LOG_RETENTION_DAYS. */
  requestLogRetention: "request-log-retention",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Retries per queue: carrier hand-offs retry with backoff; webhook attempts are scheduled by their own policy. */
const QUEUE_OPTIONS: Partial<Record<QueueName, Omit<PgBoss.Queue, "name">>> = {
  "sms-submit": { retryLimit: 20, retryDelay: 5, retryBackoff: true },
  "sms-report": { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  "webhook-deliver": { retryLimit: 0 },
};

export type Queue = {
  boss: PgBoss;
  /** Enqueue inside the caller's transaction: the job exists exactly when the transaction commits. */
  send(tx: DbOrTx, name: QueueName, data: object, options?: PgBoss.SendOptions): Promise<string | null>;
  stop(): Promise<void>;
};

/** pg-boss's SQL ($1, $2 …) run through a Drizzle transaction, on either driver. */
export function transactionDb(tx: DbOrTx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${toDriverParam(values[Number(part) - 1] ?? null)}`));
      return { rows: await executeRows(tx, sql.join(chunks)) };
    },
  };
}

export async function startQueue(database: Database, options: { schedule?: boolean } = {}): Promise<Queue> {
  const boss = new PgBoss({
    // pg-boss leaves absent values undefined (e.g. schedule() without data); postgres.js refuses undefined, so NULL, as in transactionDb.
    db: {
      executeSql: (text, values) =>
        database.query(
          text,
          values?.map((value) => value ?? null),
        ),
    },
    schema: "pgboss",
    // Workers poll every half second (pg-boss's minimum).
    schedule: options.schedule ?? true,
    supervise: true,
  });
  boss.on("error", (error) => log.error({ err: error }, "job queue error"));
  await boss.start();
  for (const name of Object.values(QUEUES)) await boss.createQueue(name, { name, ...QUEUE_OPTIONS[name] });
  return {
    boss,
    send: (tx, name, data, sendOptions = {}) => boss.send(name, data, { ...sendOptions, db: transactionDb(tx) }),
    stop: () => boss.stop({ graceful: true, timeout: 5000, wait: true }),
  };
}
