import { lt, sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { Db } from "@/db";
import { signatureReplays } from "@/db/schema";

/** A signature is valid for ±300 s around its timestamp: remember it for the whole window. */
export const REPLAY_WINDOW_SECONDS = 600;

/** Remembers (key, signature) pairs across instances: Redis when configured, else Postgres/PGlite. */
export interface ReplayStore {
  /** True the first time this signature is seen for this key within the window; false for a replay. */
  firstUse(keyId: string, signature: string): Promise<boolean>;
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
    if (++this.inserts % 1000 === 0) void this.db.delete(signatureReplays).where(lt(signatureReplays.expiresAt, new Date())).catch(() => {});
    return inserted.length > 0;
  }
}
