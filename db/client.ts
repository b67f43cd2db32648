import path from "node:path";
import { chmodSync, mkdirSync } from "node:fs";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { SQL } from "drizzle-orm";
import * as schema from "./schema";

/**
 * Both drivers produce a PgDatabase with the same query API; the postgres-js type
 * stands for both so that services are written once.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  driver: "postgres" | "pglite";
  /**
   * LISTEN on a channel. `onConnect` runs each time the listening connection is
   * (re)established: notifications sent while it was down are lost, so callers
   * drop what they cached then.
   */
  listen(channel: string, onMessage: (payload: string) => void, onConnect?: () => void): Promise<() => Promise<void>>;
  /** Raw SQL with $n parameters (for libraries that bring their own SQL, e.g. the job queue). */
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  close(): Promise<void>;
};

export type OpenOptions = {
  /** A Postgres URL; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; absent = in memory. Never share one folder between two processes. */
  dataDir?: string;
  /** Connections in the pool (Postgres only). */
  max?: number;
};

/** The rows of a raw statement on either driver (postgres.js answers an array, PGlite an object with `rows`). */
export async function executeRows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/**
 * Parameters from libraries that bring their own SQL: JSON objects and dates
 * as text (Postgres casts them), which every driver build accepts.
 */
export function toDriverParam(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

const MIGRATIONS = path.join(/*turbopackIgnore: true*/ process.cwd(), "db", "migrations");
// One number for every instance: migrations run under this lock.
const MIGRATION_LOCK = 7_422_001;

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  // Drizzle's migrator takes no lock, so several instances starting at once serialize here.
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(${MIGRATION_LOCK})`;
    const adminDb = drizzlePostgres({ client: admin, schema });
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(adminDb, { migrationsFolder: MIGRATIONS });
    await admin`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await admin.end();
  }
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema });
  return {
    db,
    driver: "postgres",
    // postgres.js keeps one dedicated connection for LISTEN and re-listens after a reconnect.
    async listen(channel, onMessage, onConnect) {
      const { unlisten } = await client.listen(channel, onMessage, onConnect);
      return unlisten;
    },
    async query(text, values) {
      if (values && values.length > 0) {
        return { rows: await client.unsafe(text, values.map(toDriverParam) as postgres.ParameterOrJSON<never>[]) };
      }
      // Statement batches may hold BEGIN/COMMIT (a library's migrations): postgres.js allows
      // those only on a connection of their own.
      const reserved = await client.reserve();
      try {
        return { rows: await reserved.unsafe(text) };
      } finally {
        reserved.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * The embedded database's folder holds every row (users, key hashes, messages) in
 * plain files: owner only (0700). Created so, with any missing parent (`.data/`),
 * and tightened when it already exists (folders made before this were 0755).
 */
export function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

async function openPglite(options: OpenOptions): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  // Extensions ship as separate modules and must be loaded before CREATE EXTENSION (migration 0004).
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (options.dataDir) privateFolder(options.dataDir);
  const client = await PGlite.create(options.dataDir, { extensions: { pg_trgm } });
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  const typed = db as unknown as Db;
  return {
    db: typed,
    driver: "pglite",
    async listen(channel, onMessage, onConnect) {
      const unlisten = await client.listen(channel, onMessage);
      onConnect?.();
      return unlisten;
    },
    async query(text, values) {
      // Several statements without parameters (e.g. a library's migrations) need exec().
      if (!values || values.length === 0) {
        const results = await client.exec(text);
        return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
      }
      return { rows: (await client.query(text, values.map(toDriverParam))).rows as Record<string, unknown>[] };
    },
    close: () => client.close(),
  };
}
