// `npm run bench`: the benchmark suite (bench/README.md). Starts what it needs —
// a fresh database (PGlite in .data/bench-pglite, or a fresh `bench_<timestamp>`
// database on DATABASE_URL's server), the built portal on ports 3300+ — measures
// side by side in one run, prints a table and writes bench/results/<date>-<postgres|pglite>.json
// and .md, then stops and drops everything it started.
//
//   npm run bench                  full run (about 14 minutes on PGlite, 11 on Postgres)
//   npm run bench -- --short       CI's smoke run (BENCH_SHORT=1 does the same)
//   npm run bench -- --only=1,3    some scenarios only
//   npm run bench -- --no-build    use .next as it is (still builds when it is missing)
//   npm run bench -- --keep        keep the PGlite folder / Postgres database afterwards
//
// A benchmark, not a test: a missed target prints "missed" and exits 0. It exits
// non-zero only when the harness could not measure (a scenario failed to run).
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { headerLines, markdownTable, measured, failed, writeResults } from "../bench/lib/report.mjs";
import { cleanup, freePort, installSignalHandlers, onCleanup, runTsx, startServer, waitForIdle } from "../bench/lib/proc.mjs";
import {
  scenario1,
  scenario10,
  scenario11,
  scenario12,
  scenario3,
  scenario4,
  scenario5,
  scenario13,
  scenario6,
  scenario7,
  scenario8,
} from "../bench/scenarios.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const short = flag("short") || ["1", "true"].includes(process.env.BENCH_SHORT ?? "");
const only = option("only")
  ?.split(",")
  .map((s) => s.trim());
const wants = (n) => !only || only.includes(String(n));

const PARAMS = short
  ? {
      connections: 10,
      warmup: 2,
      duration: 2,
      pairs: 3,
      sendRuns: 2,
      revokes: 3,
      exportPairs: 2,
      pagePairs: 3,
      pageRequests: 3,
      guardRuns: 3,
      guardCalls: 3000,
      lookupRuns: 3,
      lookupCalls: 300,
      exportBig: 100_000,
      exportSmall: 1_000,
      // Short mode: 50,000 messages stand in for the 1,000,000 (the output says so).
      statsBig: 50_000,
      statsSmall: 10_000,
      // Short mode: 50,000 audit events stand in for the 1,000,000 (the output says so).
      auditBig: 50_000,
      auditSmall: 10_000,
      bulkKeys: 10_000,
      drainMaxMs: 10_000,
      probeTimeoutMs: 10_000,
    }
  : {
      connections: 10,
      warmup: 3,
      duration: 10,
      pairs: 5,
      sendRuns: 3,
      revokes: 10,
      exportPairs: 3,
      pagePairs: 7,
      pageRequests: 5,
      guardRuns: 5,
      guardCalls: 20_000,
      lookupRuns: 7,
      lookupCalls: 2000,
      exportBig: 1_000_000,
      exportSmall: 10_000,
      statsBig: 1_000_000,
      statsSmall: 10_000,
      auditBig: 1_000_000,
      auditSmall: 10_000,
      bulkKeys: 10_000,
      drainMaxMs: 120_000,
      probeTimeoutMs: 60_000,
    };

const WORK = path.resolve(".data", "bench");
const PGLITE_DIR = path.resolve(".data", "bench-pglite");
const RESULTS = path.resolve("bench", "results");
const startedAt = Date.now();
const log = (line) => console.log(`[bench] ${line}`);

// ---------------------------------------------------------------------------
// Build (as scripts/start.mjs: when .next is missing or older than the sources)

const SOURCES = [
  "app",
  "components",
  "lib",
  "db",
  "public",
  "auth.ts",
  "auth.config.ts",
  "proxy.ts",
  "next.config.ts",
  "package.json",
  "package-lock.json",
];
function newest(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

function ensureBuild() {
  const built = existsSync(".next/BUILD_ID") ? statSync(".next/BUILD_ID").mtimeMs : 0;
  if (built && flag("no-build")) return;
  if (built && Math.max(...SOURCES.map(newest)) <= built) return;
  log(built ? "sources changed since the last build: next build…" : "no build yet: next build…");
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error(`next build failed (${build.status})`);
}

// ---------------------------------------------------------------------------
// Databases

/** Postgres: fresh databases on DATABASE_URL's server, dropped at the end. PGlite: a fresh folder. */
async function prepareDatabases(stamp) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    rmSync(PGLITE_DIR, { recursive: true, force: true });
    if (!flag("keep")) onCleanup(() => rmSync(PGLITE_DIR, { recursive: true, force: true }));
    return {
      postgres: false,
      env: { BENCH_PGLITE_DIR: PGLITE_DIR },
      server: { DATABASE_URL: "", PGLITE_DATA_DIR: PGLITE_DIR },
      lookup: {},
    };
  }
  const { default: postgres } = await import("postgres");
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  onCleanup(() => admin.end({ timeout: 5 }));
  const names = { main: `bench_${stamp}`, lookupSmall: `bench_${stamp}_keys10`, lookupBig: `bench_${stamp}_keys10k` };
  const urlOf = (name) => {
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  for (const name of Object.values(names)) {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    if (!flag("keep") || name !== names.main) onCleanup(() => admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
  log(`Postgres: fresh databases ${Object.values(names).join(", ")}${flag("keep") ? ` (${names.main} is kept)` : " (dropped at the end)"}`);
  return {
    postgres: true,
    env: { BENCH_DATABASE_URL: urlOf(names.main) },
    server: { DATABASE_URL: urlOf(names.main), PGLITE_DATA_DIR: "" },
    lookup: { BENCH_LOOKUP_URL_SMALL: urlOf(names.lookupSmall), BENCH_LOOKUP_URL_BIG: urlOf(names.lookupBig) },
  };
}

/** The bench's Redis: REDIS_URL's server, logical database 15 unless the URL names one, so its counters never mix with an app's. */
function benchRedisUrl() {
  const url = process.env.REDIS_URL;
  if (!url) return "";
  const u = new URL(url);
  if (u.pathname === "" || u.pathname === "/") u.pathname = `/${process.env.BENCH_REDIS_DB ?? 15}`;
  return u.toString();
}

// ---------------------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
    platform: `${os.platform()} ${os.release()}`,
  };
}

function commit() {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    // Results of earlier runs (bench/results) do not make the code under test differ from the commit.
    const dirty = execFileSync("git", ["status", "--porcelain", "--", ".", ":!bench/results"], { encoding: "utf8" }).trim() !== "";
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return "unknown (not a git checkout)";
  }
}

async function inProcess(script, env, logName) {
  const out = path.join(WORK, `${logName}.json`);
  rmSync(out, { force: true });
  await runTsx(script, { ...env, BENCH_OUT: out }, { logFile: path.join(WORK, `${logName}.log`) });
  return JSON.parse(readFileSync(out, "utf8"));
}

async function main() {
  installSignalHandlers();
  mkdirSync(WORK, { recursive: true });
  const rows = [];
  const notes = [];
  const stamp = `${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14)}_${process.pid}`;
  log(`${short ? "short" : "full"} mode${only ? `, scenarios ${only.join(", ")}` : ""}`);

  ensureBuild();
  const db = await prepareDatabases(stamp);
  const redisUrl = benchRedisUrl();
  const secrets = { AUTH_SECRET: randomBytes(32).toString("base64"), KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64") };
  const baseEnv = { ...process.env, ...secrets, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1" };
  const scriptEnv = { ...baseEnv, ...db.env };

  log("setup: migrations, demo seed, keys, bulk rows (bench/setup.ts)…");
  const setupFile = path.join(WORK, "setup.json");
  const setup = await inProcess(
    "bench/setup.ts",
    {
      ...scriptEnv,
      // Bulk rows only for the scenarios that run (--only=12 need not insert 2,000,000 messages).
      BENCH_EXPORT_BIG: String(wants(7) ? PARAMS.exportBig : 0),
      BENCH_EXPORT_SMALL: String(wants(7) ? PARAMS.exportSmall : 0),
      BENCH_BULK_KEYS: String(wants(8) ? PARAMS.bulkKeys : 0),
      BENCH_STATS_BIG: String(wants(11) ? PARAMS.statsBig : 0),
      BENCH_STATS_SMALL: String(wants(11) ? PARAMS.statsSmall : 0),
      BENCH_AUDIT_BIG: String(wants(12) ? PARAMS.auditBig : 0),
      BENCH_AUDIT_SMALL: String(wants(12) ? PARAMS.auditSmall : 0),
    },
    "setup",
  );
  log(`setup took ${setup.seconds.total.toFixed(1)} s (messages ${setup.seconds.messages.toFixed(1)} s)`);

  const run = async (n, title, fn, { idlePid } = {}) => {
    if (!wants(n)) return;
    log(`scenario ${n}: ${title}`);
    // Each HTTP scenario starts on a quiet server (no job or GC work left from the previous one).
    if (idlePid) await waitForIdle(idlePid, { maxMs: PARAMS.drainMaxMs });
    const before = rows.length;
    try {
      await fn();
    } catch (error) {
      console.error(`[bench] scenario ${n} failed: ${error.stack ?? error}`);
      rows.push(
        failed(
          n,
          title,
          "—",
          String(error.message ?? error)
            .split("\n")[0]
            .slice(0, 200),
        ),
      );
    }
    for (const row of rows.slice(before)) if (row.met === false) log(`  MISSED: #${row.n} ${row.figure}`);
  };

  // In process, before any server opens the database (PGlite is one process only).
  await run(2, "the guard alone, in process", async () => {
    const r = await inProcess(
      "bench/guard.ts",
      { ...scriptEnv, BENCH_SETUP: setupFile, BENCH_RUNS: String(PARAMS.guardRuns), BENCH_CALLS: String(PARAMS.guardCalls) },
      "guard",
    );
    for (const [name, c] of Object.entries(r.cases)) {
      const scenario = `Guard in process: ${name}`;
      rows.push(
        measured(2, scenario, `p50 per call (${c.calls.toLocaleString("en-US")} calls/run)`, c.p50, { format: "ms", unit: "ms" }),
        measured(2, scenario, "p99 per call", c.p99, {
          format: "ms",
          unit: "ms",
          target: name === "warm key" ? { op: "<", value: 1 } : null,
        }),
      );
    }
    notes.push(
      `Scenario 2: findKey → checkStatus → checkAddress → checkSignature (no HMAC) → permission, per call; cold = cache cleared before each call (one database read); KeyCache TTL ${r.cacheTtlMs} ms as in production.`,
    );
  });
  await run(9, "key lookup with 10 vs 10,010 keys in the table", async () => {
    const r = await inProcess(
      "bench/lookup.ts",
      { ...baseEnv, ...db.lookup, BENCH_RUNS: String(PARAMS.lookupRuns), BENCH_CALLS: String(PARAMS.lookupCalls) },
      "lookup",
    );
    const scenario = "Key lookup (loadKey by hash): 10 vs 10,010 keys";
    rows.push(
      measured(9, scenario, "lookup time ratio (10,010 / 10 rows)", r.ratios, { target: { op: "<=", value: 1.2 } }),
      measured(9, scenario, "10 rows: median lookup", r.smallMs, { format: "ms", unit: "ms" }),
      measured(9, scenario, "10,010 rows: median lookup", r.bigMs, { format: "ms", unit: "ms" }),
    );
    notes.push(
      `Scenario 9: ${r.calls} lookups of random existing keys per batch, batches alternating between two ${r.driver === "pglite" ? "in-memory PGlite instances" : "fresh Postgres databases"} that differ only in the number of keys.`,
    );
  });

  const httpScenarios = [1, 10, 3, 4, 5, 6, 7, 8, 11, 12, 13].filter(wants);
  if (httpScenarios.length > 0) {
    const taken = new Set();
    const serverEnv = { ...baseEnv, ...db.server, REDIS_URL: redisUrl, BENCH_ROUTES: "true" };
    const port = await freePort(3300, taken);
    taken.add(port);
    log(`starting the portal on :${port}…`);
    const startA = (run = 0) =>
      startServer({ name: "A", port, env: serverEnv, logFile: path.join(WORK, run ? `server-a.${run}.log` : "server-a.log") });
    let restarts = 0;
    const ctx = {
      params: PARAMS,
      setup,
      server: await startA(),
      rows,
      notes,
      postgres: db.postgres,
      runId: stamp,
      log,
      startSecondServer: db.postgres
        ? async () => {
            const portB = await freePort(port + 1, taken);
            log(`starting instance B on :${portB}…`);
            return startServer({ name: "B", port: portB, env: serverEnv, logFile: path.join(WORK, "server-b.log") });
          }
        : null,
      /** A fresh instance A (same port, same database), for measurements that must not inherit an earlier one's heap. */
      async restartServer() {
        await ctx.server.stop();
        ctx.server = await startA(++restarts);
        idle.idlePid = ctx.server.pid;
      },
    };
    const idle = { idlePid: ctx.server.pid };
    // Sends last: their carrier jobs keep the server's workers busy afterwards.
    await run(1, "GET /user/balance guarded vs unguarded", () => scenario1(ctx), idle);
    await run(10, "GET /user/balance guarded vs the floor", () => scenario10(ctx), idle);
    await run(3, "logging on vs off the record", () => scenario3(ctx), idle);
    await run(4, "HMAC-signed vs unsigned", () => scenario4(ctx), idle);
    await run(8, "keys page with 10 vs 10,000 keys", () => scenario8(ctx), idle);
    await run(11, "dashboard, statistics and /sms/stats with 10,000 vs 1,000,000 messages", () => scenario11(ctx), idle);
    await run(12, "audit log pages with 10,000 vs 1,000,000 events", () => scenario12(ctx), idle);
    await run(7, "CSV export", () => scenario7(ctx), idle);
    await run(6, "revoke on A, poll B", () => scenario6(ctx), idle);
    await run(5, "POST /sms/send", () => scenario5(ctx), idle);
    await run(13, "POST /sms/send, capped vs uncapped key", () => scenario13(ctx), idle);
    await ctx.server.stop();
  }

  rows.sort((a, b) => Number(a.n) - Number(b.n));
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    mode: short ? "short" : "full",
    commit: commit(),
    machine: machine(),
    node: process.version,
    driver: db.postgres ? "postgres" : "pglite",
    database: `${db.postgres ? "Postgres" : "PGlite (embedded)"}: ${setup.version}`,
    redis: redisUrl ? redisUrl.replace(/\/\/[^@]*@/, "//…@") : "",
    load: `autocannon, ${PARAMS.connections} connections, ${PARAMS.duration} s per run after a ${PARAMS.warmup} s warm-up, ${PARAMS.pairs} pairs per ratio; figures are the median of the runs`,
    params: PARAMS,
    seconds: Math.round((Date.now() - startedAt) / 1000),
  };
  const base = writeResults(RESULTS, meta, rows, notes);
  console.log(["", ...headerLines(meta), "", markdownTable(rows), ""].join("\n"));
  const missed = rows.filter((r) => r.met === false);
  const errors = rows.filter((r) => r.status === "error");
  console.log(missed.length ? `Targets MISSED: ${missed.map((r) => `#${r.n} ${r.figure}`).join("; ")}` : "All targets met.");
  if (errors.length) console.log(`Scenarios that could not run: ${errors.map((r) => `#${r.n} (${r.note})`).join("; ")}`);
  console.log(`Written: ${path.relative(process.cwd(), base)}.json and .md`);
  return errors.length === 0;
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  console.error(`[bench] the harness failed: ${error.stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(ok ? 0 : 1);
