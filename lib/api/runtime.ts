import { Redis } from "ioredis";
import { getDatabase, type Db } from "@/db";
import type { Database } from "@/db/client";
import { KEY_CHANGES_CHANNEL, KeyCache, KeyStore, registerKeyCache } from "@/lib/keys/verify";
import { log } from "@/lib/log";
import { ApiRateLimits } from "./rate-limits";
import { DatabaseReplayStore, ProcessReplayStore, RedisReplayStore, type ReplayStore } from "./replay-store";
import { RequestLog } from "./request-log";

/** Everything the guard keeps per process: one of each, on globalThis (Next evaluates modules several times). */
export type ApiRuntime = {
  db: Db;
  keys: KeyStore;
  limits: ApiRateLimits;
  replays: ReplayStore;
  requestLog: RequestLog;
  close(): Promise<void>;
};

const globalForRuntime = globalThis as unknown as { __apiRuntime?: Promise<ApiRuntime>; __apiRuntimeReady?: ApiRuntime };

export function getApiRuntime(): Promise<ApiRuntime> {
  if (!globalForRuntime.__apiRuntime) {
    const opening = getDatabase()
      .then((database) => createApiRuntime(database, { redisUrl: process.env.REDIS_URL }))
      .then((runtime) => {
        // Only while it is still the installed one (a test may have installed another meanwhile).
        if (globalForRuntime.__apiRuntime === opening) globalForRuntime.__apiRuntimeReady = runtime;
        return runtime;
      })
      .catch((error) => {
        if (globalForRuntime.__apiRuntime === opening) globalForRuntime.__apiRuntime = undefined;
        throw error;
      });
    globalForRuntime.__apiRuntime = opening;
  }
  return globalForRuntime.__apiRuntime;
}

/** The runtime once it is open, without a promise (the guard's warm path); else null (then use getApiRuntime). */
export function readyApiRuntime(): ApiRuntime | null {
  return globalForRuntime.__apiRuntime ? (globalForRuntime.__apiRuntimeReady ?? null) : null;
}

export async function createApiRuntime(database: Database, options: { redisUrl?: string; cacheTtlMs?: number } = {}): Promise<ApiRuntime> {
  const cache = new KeyCache(options.cacheTtlMs ?? Number(process.env.KEY_CACHE_TTL_MS ?? 500));
  const unregister = registerKeyCache(cache);
  // Changes made by any instance arrive here; a reconnect may have missed some, so start clean.
  const unlisten = await database.listen(
    KEY_CHANGES_CHANNEL,
    (keyId) => cache.invalidateKey(keyId),
    () => cache.clear(),
  );
  const redis = options.redisUrl ? new Redis(options.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true }) : null;
  redis?.on("error", (error) => log.error({ err: error }, "redis error"));
  const requestLog = new RequestLog(database.db);
  const limits = ApiRateLimits.create({ redis, db: database.db });
  const replays: ReplayStore = redis
    ? new RedisReplayStore(redis)
    : database.driver === "pglite"
      ? await ProcessReplayStore.open(database.db)
      : new DatabaseReplayStore(database.db);
  return {
    db: database.db,
    keys: new KeyStore(database.db, cache),
    limits,
    replays,
    requestLog,
    async close() {
      unregister();
      limits.requests.stop();
      await requestLog.flush();
      await replays.flush?.();
      await unlisten().catch(() => {});
      redis?.disconnect();
    },
  };
}

/** Tests: use this runtime for the route handlers of this process. */
export function installApiRuntime(runtime: ApiRuntime): void {
  globalForRuntime.__apiRuntime = Promise.resolve(runtime);
  globalForRuntime.__apiRuntimeReady = runtime;
}
