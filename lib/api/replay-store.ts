import { gt, lt, sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { Db } from "@/db";
import { signatureReplays } from "@/db/schema";
import { log } from "@/lib/log";

/** A signature is valid for ±300 s around its timestamp: remember it for the whole window. */
export const REPLAY_WINDOW_SECONDS = 600;

/** Remembers (key, signature) pairs across instances: Redis when configured, else Postgres; on PGlite, the one process. */
export interface ReplayStore {
  /** True the first time this signature is seen for this key within the window; false for a replay. */
  firstUse(keyId: string, signature: string): Promise<boolean>;
  /** Writes what is still held in memory (shutdown). */
  flush?(): Promise<void>;
}

export class RedisReplayStore implements ReplayStore {
  constructor(private readonly redis: Redis) {}
  async firstUse(keyId: string, signature: string): Promise<boolean> {
    return (await this.redis.set(`replay:${keyId}:${signature}`, "1", "EX", REPLAY_WINDOW_SECONDS, "NX")) === "OK";
  }
}

export class DatabaseReplayStore implements ReplayStore {
  private inserts = 0;
  constructor(private readonly db: Db) {}

  async firstUse(keyId: string, signature: string): Promise<boolean> {
    const expiresAt = new Date(Date.now() + REPLAY_WINDOW_SECONDS * 1000);
    const inserted = await this.db
      .insert(signatureReplays)
      .values({ keyId, signature, expiresAt })
      .onConflictDoUpdate({
        // An expired entry may be reused; a live one is a replay (the update then matches nothing).
        target: [signatureReplays.keyId, signatureReplays.signature],
        set: { expiresAt },
        setWhere: sql`${signatureReplays.expiresAt} < now()`,
      })
      .returning({ keyId: signatureReplays.keyId });
    // Purge now and then, rather than on a timer every instance would run.
    if (++this.inserts % 1000 === 0)
      void this.db
        .delete(signatureReplays)
        .where(lt(signatureReplays.expiresAt, new Date()))
        .catch(() => {});
    return inserted.length > 0;
  }
}

/**
 * The embedded database (PGlite) serves exactly one process, so a map in that
 * process is an exact replay memory and keeps the signed request path free of
 * writes (measured: the INSERT per signed request cost 7–25% of throughput on
 * PGlite). Entries are also written to `signature_replays` in batches, off the
 * request path, and read back on start, so a restart does not forget them; only
 * what was accepted in the last `flushMs` before a crash could be lost.
 *
 * Never use this with several processes on one database: use Redis or the
 * DatabaseReplayStore there (the runtime picks this one only for PGlite).
 */
export class ProcessReplayStore implements ReplayStore {
  private readonly seen = new Map<string, number>();
  private pending: (typeof signatureReplays.$inferInsert)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastSweep = Date.now();

  private constructor(
    private readonly db: Db,
    private readonly flushMs: number,
  ) {}

  static async open(db: Db, options: { flushMs?: number } = {}): Promise<ProcessReplayStore> {
    const store = new ProcessReplayStore(db, options.flushMs ?? 200);
    const live = await db.select().from(signatureReplays).where(gt(signatureReplays.expiresAt, new Date()));
    for (const row of live) store.seen.set(`${row.keyId}:${row.signature}`, row.expiresAt.getTime());
    return store;
  }

  async firstUse(keyId: string, signature: string, now = Date.now()): Promise<boolean> {
    const id = `${keyId}:${signature}`;
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    const expiresAt = now + REPLAY_WINDOW_SECONDS * 1000;
    this.seen.set(id, expiresAt);
    this.pending.push({ keyId, signature, expiresAt: new Date(expiresAt) });
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    if (now - this.lastSweep > 60_000) this.sweep(now);
    return true;
  }

  /** Writes what was accepted since the last flush (shutdown awaits it). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    await this.db
      .insert(signatureReplays)
      .values(batch)
      .onConflictDoUpdate({ target: [signatureReplays.keyId, signatureReplays.signature], set: { expiresAt: sql`excluded.expires_at` } })
      .catch((error) => log.error({ err: error, rows: batch.length }, "replay memory flush failed"));
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [id, until] of this.seen) if (until <= now) this.seen.delete(id);
  }
}
