/**
 * One fresh, migrated and seeded database per test file. With DATABASE_URL set,
 * a throwaway database on that (local) server, dropped on close; otherwise an
 * in-memory PGlite.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type Database, type Db } from "@/db/client";
import { seedDemo, seedPricesIfEmpty, type DemoSeed } from "@/db/seed";

export const TEST_PASSWORD = "test-password";

export type TestDatabase = {
  db: Db;
  /** The handle the app uses (LISTEN, close); `url` is set for Postgres, so a test can open a second "instance". */
  database: Database;
  url?: string;
  seed: DemoSeed;
  driver: "postgres" | "pglite";
  close(): Promise<void>;
};

async function seedAll(db: Db): Promise<DemoSeed> {
  await seedPricesIfEmpty(db);
  return seedDemo(db, TEST_PASSWORD);
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/**
 * Tests create and drop databases: refuse any server but this machine's, so a
 * production or shared DATABASE_URL left in the environment is never touched.
 */
export function assertLocalDatabase(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("Refusing to run tests: DATABASE_URL is not a valid URL");
  }
  // postgres.js reads ?host= over the URL's host (a Unix socket path or another server).
  const hosts = [parsed.hostname, ...parsed.searchParams.getAll("host")].filter((h) => h !== "");
  const local = hosts.length > 0 && hosts.every((h) => LOCAL_HOSTS.has(h.toLowerCase()) || h.startsWith("/"));
  if (!local) {
    throw new Error(
      `Refusing to run tests against a non-local database (host ${hosts.join(", ") || "missing"}); ` +
        "tests create and drop databases, so DATABASE_URL must point at localhost, 127.0.0.1 or ::1",
    );
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({});
    const seed = await seedAll(database.db);
    return { db: database.db, database, seed, driver: "pglite", close: () => database.close() };
  }

  assertLocalDatabase(url);
  const name = `t_${randomBytes(8).toString("hex")}`;
  await withAdmin(url, (admin) => admin.unsafe(`CREATE DATABASE "${name}"`));
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const drop = () => withAdmin(url, (admin) => admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  try {
    const database = await openDatabase({ url: testUrl.toString(), max: 4 });
    const seed = await seedAll(database.db).catch(async (error) => {
      await database.close();
      throw error;
    });
    return {
      db: database.db,
      database,
      url: testUrl.toString(),
      seed,
      driver: "postgres",
      async close() {
        try {
          await database.close();
        } finally {
          await drop();
        }
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function withAdmin<T>(url: string, run: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await run(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
