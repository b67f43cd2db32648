// HTTP helpers of the benchmark: autocannon runs, single requests, streamed downloads.
import http from "node:http";
import autocannon from "autocannon";
import { cpuSeconds } from "./proc.mjs";

/**
 * One autocannon run: fixed connections, fixed duration. Throughput counts only
 * 2xx answers; anything else is reported with the run so a broken endpoint never
 * passes for a fast one. With `pid`, also the CPU time that process (the server)
 * spent per request, which other load on the machine disturbs far less than throughput.
 */
export async function load({ url, connections, duration, method = "GET", headers = {}, body, setupRequest, pid }) {
  const target = new URL(url);
  const cpuBefore = pid ? cpuSeconds(pid) : null;
  const result = await autocannon({
    url: target.origin,
    connections,
    duration,
    pipelining: 1,
    timeout: 30,
    requests: [{ method, path: target.pathname + target.search, headers, body, ...(setupRequest ? { setupRequest } : {}) }],
  });
  const elapsed = result.duration || duration;
  const cpuAfter = pid ? cpuSeconds(pid) : null;
  return {
    cpuMsPerRequest:
      cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : NaN,
    rps: result["2xx"] / elapsed,
    total: result.requests.total,
    ok: result["2xx"],
    non2xx: result.non2xx,
    // Sent but unanswered when the run ended (normally at most one per connection).
    unfinished: Math.max(0, (result.requests.sent ?? result.requests.total) - result.requests.total),
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statusCodes: result.statusCodeStats,
  };
}

/**
 * Throws when a run had wrong answers (non-2xx) or connection errors worth more
 * than 1% of its requests: the endpoint is broken, not slow. A run in which the
 * server answered nothing in time is a (bad) measurement, not an error.
 */
export function assertHealthy(run, what) {
  const bad = run.non2xx + run.errors;
  if (bad > 0.01 * (run.total + run.errors) || (run.ok === 0 && run.unfinished === 0)) {
    throw new Error(`${what}: ${run.ok} ok, ${run.non2xx} non-2xx (${JSON.stringify(run.statusCodes)}), ${run.errors} errors/timeouts`);
  }
}

/** p99 of a run; when no request completed within it, the run's duration is a lower bound. */
export const p99Of = (run, durationS) => (run.ok === 0 ? Math.max(run.p99, durationS * 1000) : run.p99);

/** A plain request; returns status, text and the time to the last byte in ms. */
export async function request(url, { method = "GET", headers = {}, body, timeoutMs = 60_000 } = {}) {
  const start = process.hrtime.bigint();
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  return { status: res.status, text, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Throws with the answer when the status is not the expected one. */
export async function expectStatus(url, options, status, what) {
  const res = await request(url, options);
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  return res;
}

/**
 * GET a streamed body without keeping it: counts bytes and lines as they arrive
 * (the CSV export). No client timeout: a million rows take a while.
 */
export function streamLines(url, headers) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.get(url, { headers, agent: false }, (res) => {
      let bytes = 0;
      let lines = 0;
      let head = "";
      res.on("data", (chunk) => {
        bytes += chunk.length;
        if (head.length < 400) head += chunk.toString("utf8", 0, Math.min(chunk.length, 400));
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode,
          contentType: res.headers["content-type"] ?? "",
          bytes,
          lines,
          head,
          ms: Number(process.hrtime.bigint() - start) / 1e6,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}
