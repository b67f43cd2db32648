import path from "node:path";
import { openDatabase, type Database, type Db } from "./client";

export type { Db, Tx, DbOrTx } from "./client";

// Next evaluates a module several times per process (separate bundles): the one
// connection pool (or the one PGlite instance) lives on globalThis.
const globalForDb = globalThis as unknown as { __portalDb?: Promise<Database> };

export function defaultPgliteDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DATA_DIR ?? path.join(".data", "pglite"));
}

/**
 * The process's database, opened (and migrated) lazily, never at import: `next
 * build` imports modules. Seeding is not part of opening: the server does it once
 * at start (lib/runtime/start.ts).
 */
export function getDatabase(): Promise<Database> {
  globalForDb.__portalDb ??= openDatabase({
    url: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATABASE_URL ? undefined : defaultPgliteDir(),
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  }).catch((error) => {
    globalForDb.__portalDb = undefined;
    throw error;
  });
  return globalForDb.__portalDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
  const open = globalForDb.__portalDb;
  globalForDb.__portalDb = undefined;
  if (open) await (await open).close();
}

/** Tests and scripts: make `database` the process's database (route handlers then use it). */
export function installDatabase(database: Database): void {
  globalForDb.__portalDb = Promise.resolve(database);
}
