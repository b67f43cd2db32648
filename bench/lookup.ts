/**
 * Scenario 9: the cost of the guard's database read (loadKey: the key by the
 * hash of its secret, through the unique hash index) with 10 rows in api_keys
 * vs 10,010. Two databases that differ only in that: two in-memory PGlite
 * instances, or two fresh Postgres databases made by scripts/bench.mjs
 * (BENCH_LOOKUP_URL_SMALL / BENCH_LOOKUP_URL_BIG). Batches alternate small,
 * big, small, big…; each pair gives the ratio of the median lookup times.
 *
 * Env: BENCH_OUT, BENCH_RUNS (pairs), BENCH_CALLS (lookups per batch).
 */
import { count, sql } from "drizzle-orm";
import { openDatabase, type Database, type Db } from "@/db/client";
import { seedIfEmpty } from "@/db/seed";
import { apiKeys } from "@/db/schema";
import { loadKey } from "@/lib/keys/verify";
import { median, rowsOf, since, writeResult } from "./db";

const SMALL = 10;
const BIG = 10_010;

async function prepare(url: string | undefined, total: number): Promise<{ database: Database; hashes: string[] }> {
  const database = await openDatabase(url ? { url, max: 2 } : {});
  const { db } = database;
  delete process.env.SEED_DEMO_DATA;
  await seedIfEmpty(db);
  const [{ n }] = await db.select({ n: count() }).from(apiKeys);
  await insertKeys(db, total - n);
  await db.execute(sql`analyze api_keys`);
  const hashes = rowsOf<{ hash: string }>(await db.execute(sql`select hash from api_keys`)).map((r) => r.hash);
  if (hashes.length !== total) throw new Error(`expected ${total} keys, found ${hashes.length}`);
  return { database, hashes };
}

async function insertKeys(db: Db, n: number) {
  if (n <= 0) return;
  await db.execute(sql`
    insert into api_keys (id, workspace_id, name, mode, hash, hash_version, start, last4, permissions, created_by)
    select 'key_lookup_' || g, w.id, 'Lookup key ' || g, 'live',
           encode(sha256(convert_to('lookup-key-' || g, 'UTF8')), 'hex'), 1,
           'sk_prod_' || substr(md5(g::text), 1, 4), substr(md5(g::text), 5, 4),
           array['sms.read']::text[], u.id
    from generate_series(1, ${n}::int) as g,
         (select id from workspaces where is_main limit 1) w,
         (select id from users order by id limit 1) u`);
}

async function batch(db: Db, hashes: string[], calls: number): Promise<number> {
  const times: number[] = new Array(calls);
  for (let i = 0; i < calls; i++) {
    const hash = hashes[Math.floor(Math.random() * hashes.length)];
    const start = process.hrtime.bigint();
    const key = await loadKey(db, [hash]);
    times[i] = since(start);
    if (!key) throw new Error("a stored key was not found");
  }
  return median(times);
}

async function main() {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const calls = Number(process.env.BENCH_CALLS ?? 2000);
  const small = await prepare(process.env.BENCH_LOOKUP_URL_SMALL, SMALL);
  const big = await prepare(process.env.BENCH_LOOKUP_URL_BIG, BIG);
  try {
    // Warm-up: JIT, plans, buffers.
    await batch(small.database.db, small.hashes, Math.min(500, calls));
    await batch(big.database.db, big.hashes, Math.min(500, calls));
    const smallMs: number[] = [];
    const bigMs: number[] = [];
    const ratios: number[] = [];
    for (let run = 0; run < runs; run++) {
      const a = await batch(small.database.db, small.hashes, calls);
      const b = await batch(big.database.db, big.hashes, calls);
      smallMs.push(a);
      bigMs.push(b);
      ratios.push(b / a);
    }
    writeResult({ driver: small.database.driver, rows: { small: SMALL, big: BIG }, calls, smallMs, bigMs, ratios });
  } finally {
    await small.database.close();
    await big.database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
