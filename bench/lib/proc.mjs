// Child processes of the benchmark (servers, tsx scripts) and their cleanup: everything
// the bench starts is stopped at the end, on an error and on Ctrl-C.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import net from "node:net";
import { serverNodeArgs } from "../../scripts/server-node-args.mjs";

const cleanups = [];

/** Runs at the end (last registered first), on error and on SIGINT/SIGTERM. */
export function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

let cleaning = null;
export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (error) {
        console.error(`cleanup: ${error?.message ?? error}`);
      }
    }
  })();
  return cleaning;
}

export function installSignalHandlers() {
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, async () => {
      console.error(`\n${signal}: stopping what the bench started…`);
      await cleanup();
      process.exit(130);
    });
  }
}

const tail = (file, lines = 30) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-lines).join("\n") : "");

/** Waits for the child to exit, SIGKILL after `graceMs`. */
function stopChild(child, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A TypeScript script of bench/ under tsx (one process, killed on cleanup); rejects on a non-zero exit. */
export function runTsx(script, env, { logFile, timeoutMs = 30 * 60_000 } = {}) {
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, ["--import", "tsx", script], { env, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const remove = onCleanup(() => stopChild(child, 3000));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      remove();
      if (code === 0) resolve();
      else reject(new Error(`${script} exited with ${code ?? signal}; its log (${logFile}) ends:\n${tail(logFile)}`));
    });
  });
}

export async function isPortFree(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The first free port from `from` (3300+ by default; never 3000 or the E2E suite's 3200-3202). */
export async function freePort(from, taken = new Set()) {
  for (let port = from; port < from + 100; port++) {
    if (!taken.has(port) && (await isPortFree(port))) return port;
  }
  throw new Error(`no free port in ${from}-${from + 99}`);
}

/**
 * `node server.mjs` (the built portal) on `port`, ready once /api/health answers.
 * Its output goes to `logFile`. Returns { url, pid, stop() }.
 */
export async function startServer({ name, port, env, logFile, timeoutMs = 180_000 }) {
  const fd = openSync(logFile, "w");
  // Started as `npm start` starts it (its Node flags included), so the bench measures the product as deployed.
  // BENCH_SERVER_NODE_ARGS adds flags for a look inside, e.g. "--cpu-prof --cpu-prof-dir=.data/bench/prof".
  const extra = (env.BENCH_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...serverNodeArgs(env), ...extra, "server.mjs"], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    remove();
    await stopChild(child);
  };
  const remove = onCleanup(stop);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `server ${name} exited (${child.exitCode ?? child.signalCode}) before it was ready; its log (${logFile}) ends:\n${tail(logFile)}`,
      );
    }
    const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { name, url, pid: child.pid, stop, logFile };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`server ${name} did not answer /api/health within ${timeoutMs / 1000} s; its log (${logFile}) ends:\n${tail(logFile)}`);
}

/** Resident set size of a process in MB (Linux /proc), or null elsewhere. */
export function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the samples. */
export function sampleRss(pid, everyMs = 50) {
  const samples = [];
  const take = () => {
    const mb = rssMb(pid);
    if (mb !== null) samples.push(mb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** CPU time (user + system) of a process in seconds, from /proc (Linux), or null. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of proc(5) (utime, stime) are the 12th and 13th after the command; clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Waits until the process has used less than `threshold` of a core for two
 * seconds in a row (e.g. its job workers drained what a scenario enqueued), at
 * most `maxMs`. Returns the seconds waited; null when /proc is not available.
 */
export async function waitForIdle(pid, { threshold = 0.1, maxMs = 180_000 } = {}) {
  const started = Date.now();
  if (cpuSeconds(pid) === null) {
    await new Promise((r) => setTimeout(r, 3000));
    return null;
  }
  let quiet = 0;
  while (Date.now() - started < maxMs) {
    const before = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 1000));
    const used = cpuSeconds(pid) - before;
    quiet = used < threshold ? quiet + 1 : 0;
    if (quiet >= 2) break;
  }
  return (Date.now() - started) / 1000;
}
