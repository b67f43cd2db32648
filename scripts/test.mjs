// `npm test`: every suite, then one closing line "N passed, N failed" with the
// totals of all of them (the line CI reads). Exits non-zero on any failure.
//   1. static: Prettier, ESLint (with the layering rule) and the TypeScript type check (one check each)
//   2. unit + integration (Vitest): Postgres when DATABASE_URL is set, else PGlite
//   3. E2E (Playwright, Debian Chromium) on the built portal with the embedded database
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const bin = (name) => `node_modules/.bin/${name}`;
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(command, args, extraEnv = {}) {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  return spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } }).status === 0;
}

function record(suite, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${suite}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

mkdirSync("test-results", { recursive: true });
const only = process.argv.slice(2);
const wants = (suite) => only.length === 0 || only.includes(suite);

if (wants("static")) {
  const format = run(bin("prettier"), ["--check", ".", "--log-level=warn"]);
  const lint = run(bin("eslint"), [".", "--max-warnings=0"]);
  const types = run(bin("tsc"), ["--noEmit"]);
  const checks = [format, lint, types];
  record("static (prettier, eslint, tsc)", checks.filter(Boolean).length, checks.filter((ok) => !ok).length);
}

if (wants("unit")) {
  const file = "test-results/unit-results.json";
  rmSync(file, { force: true });
  const ok = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile=${file}`]);
  const report = readJson(file);
  if (report)
    record(
      "unit + integration (vitest)",
      report.numPassedTests,
      report.numFailedTests + (ok || report.numFailedTests ? 0 : 1),
      report.numPendingTests + report.numTodoTests,
    );
  else record("unit + integration (vitest)", 0, 1);
}

/** Debian's Chromium for Playwright; installed with apt-get when missing and we are root. */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return true;
  if (process.getuid?.() === 0 && path === "/usr/bin/chromium") {
    console.log("Chromium is missing: installing Debian's chromium package…");
    run("apt-get", ["update", "-qq"]);
    if (run("apt-get", ["install", "-y", "-qq", "chromium"], { DEBIAN_FRONTEND: "noninteractive" }) && existsSync(path)) return true;
  }
  console.error(`The E2E suite needs Chromium at ${path}: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  return false;
}

/**
 * With DATABASE_URL, the multi-instance E2E suite gets a fresh database on that
 * server (two portal instances share it); dropped afterwards.
 */
async function withE2eDatabase(fn) {
  const url = process.env.DATABASE_URL;
  if (!url) return fn({});
  const { default: postgres } = await import("postgres");
  const name = `e2e_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const e2eUrl = new URL(url);
  e2eUrl.pathname = `/${name}`;
  try {
    return fn({ E2E_DATABASE_URL: e2eUrl.toString() });
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

if (wants("e2e")) {
  const file = "test-results/e2e-results.json";
  rmSync(file, { force: true });
  const built = ensureChromium() && run(process.execPath, ["node_modules/next/dist/bin/next", "build"]);
  if (!built) record("e2e (playwright)", 0, 1);
  else {
    const ok = await withE2eDatabase((extraEnv) => run(bin("playwright"), ["test"], extraEnv));
    const report = existsSync(file) ? readJson(file) : null;
    if (report) {
      const s = report.stats;
      record("e2e (playwright)", s.expected + s.flaky, s.unexpected + (ok || s.unexpected ? 0 : 1), s.skipped);
    } else record("e2e (playwright)", 0, 1);
  }
}

console.log("\n" + lines.join("\n"));
writeFileSync("test-results/totals.json", JSON.stringify(totals) + "\n");
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
