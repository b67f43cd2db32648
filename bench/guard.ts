/**
 * Scenario 2: the guard alone, in process, against the benchmark's database
 * (opened here while no server runs on it). Per call, the steps of the guard
 * that decide who is calling: findKey (header, format and checksum, the key by
 * hash through the KeyStore/KeyCache) → checkStatus → checkAddress →
 * checkSignature (a non-HMAC key: no I/O) → the permission check. Timed with
 * process.hrtime.bigint(); p50 and p99 per case and run.
 *
 * Env: BENCH_SETUP (the setup's JSON), BENCH_OUT, BENCH_RUNS, BENCH_CALLS (warm
 * cases; cold cases make a tenth as many calls), plus the database of db.ts.
 */
import { readFileSync } from "node:fs";
import { ApiError } from "@/lib/api/errors";
import { checkAddress, checkSignature, checkStatus, findKey } from "@/lib/api/guard/authenticate";
import type { ReplayStore } from "@/lib/api/replay-store";
import { generateKey } from "@/lib/keys/format";
import { KeyCache, KeyStore } from "@/lib/keys/verify";
import { grants } from "@/lib/permissions/math";
import { openBenchDatabase, percentile, since, writeResult } from "./db";

type Case = { name: string; secret: string; cold: boolean; expect: "ok" | "INVALID_API_KEY" };

// Never consulted: checkSignature returns before it for keys without HMAC.
const noReplays = { firstUse: async () => true } as unknown as ReplayStore;

async function main() {
  const setup = JSON.parse(readFileSync(process.env.BENCH_SETUP!, "utf8"));
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const warmCalls = Number(process.env.BENCH_CALLS ?? 20_000);
  const coldCalls = Math.max(50, Math.round(warmCalls / 10));
  const valid: string = setup.keys.full.secret;
  // The last character of the checksum changed: fails before any I/O.
  const badChecksum = valid.slice(0, -1) + (valid.endsWith("A") ? "B" : "A");
  const unknown = generateKey("live").secret; // well-formed, in no table

  const cases: Case[] = [
    { name: "warm key", secret: valid, cold: false, expect: "ok" },
    { name: "cold key", secret: valid, cold: true, expect: "ok" },
    { name: "invalid checksum", secret: badChecksum, cold: false, expect: "INVALID_API_KEY" },
    { name: "unknown key, cold", secret: unknown, cold: true, expect: "INVALID_API_KEY" },
    { name: "unknown key, warm (negative cache)", secret: unknown, cold: false, expect: "INVALID_API_KEY" },
  ];

  const database = await openBenchDatabase();
  try {
    // The production TTL: a warm key is reloaded at most once per TTL.
    const cache = new KeyCache(Number(process.env.KEY_CACHE_TTL_MS ?? 500));
    const store = new KeyStore(database.db, cache);
    const address = "127.0.0.1";

    const once = async (c: Case, headers: Headers): Promise<number> => {
      if (c.cold) cache.clear();
      const start = process.hrtime.bigint();
      let outcome: string;
      try {
        const key = await findKey(headers, store);
        const now = Date.now();
        checkStatus(key, now);
        checkAddress(key, address);
        await checkSignature(key, { method: "GET", path: "/api/v1/user/balance", headers, body: "" }, noReplays, now);
        if (!grants(key.permissions, "balance.read")) throw new ApiError("FORBIDDEN");
        outcome = "ok";
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        outcome = error.code;
      }
      const ms = since(start);
      if (outcome !== c.expect) throw new Error(`${c.name}: expected ${c.expect}, got ${outcome}`);
      return ms;
    };

    const results: Record<string, { p50: number[]; p99: number[]; calls: number }> = {};
    for (const c of cases) results[c.name] = { p50: [], p99: [], calls: c.cold ? coldCalls : warmCalls };
    // Warm-up: JIT, the database's own caches, the connection.
    for (const c of cases) {
      const headers = new Headers({ "x-api-key": c.secret });
      for (let i = 0; i < Math.min(2000, results[c.name].calls); i++) await once(c, headers);
    }
    for (let run = 0; run < runs; run++) {
      for (const c of cases) {
        const headers = new Headers({ "x-api-key": c.secret });
        const times: number[] = new Array(results[c.name].calls);
        for (let i = 0; i < times.length; i++) times[i] = await once(c, headers);
        times.sort((a, b) => a - b);
        results[c.name].p50.push(percentile(times, 50));
        results[c.name].p99.push(percentile(times, 99));
      }
    }
    writeResult({ driver: database.driver, cacheTtlMs: cache.ttlMs, runs, cases: results });
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
