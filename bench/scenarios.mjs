// The HTTP scenarios of the benchmark (1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13), against the built portal
// started by scripts/bench.mjs. Each adds rows to ctx.rows; a thrown error becomes
// an ERROR row there. Ratios are computed pair by pair (A, B, A, B…) so the
// machine's drift cancels.
import { createHmac } from "node:crypto";
import { assertHealthy, expectStatus, load, p99Of, request, streamLines } from "./lib/http.mjs";
import { failed, measured, median } from "./lib/report.mjs";
import { rssMb, sampleRss, waitForIdle } from "./lib/proc.mjs";

const ratioAtLeast = (value) => ({ op: ">=", value });
const at = (ctx, path) => `${ctx.server.url}${path}`;
const apiKey = (secret) => ({ "x-api-key": secret });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Warm-up of both sides, then `pairs` × (A, B) autocannon runs; the ratio of each pair is A/B. */
async function pairedLoad(ctx, a, b) {
  const { connections, warmup, duration, pairs } = ctx.params;
  await load({ ...a, connections, duration: warmup });
  await load({ ...b, connections, duration: warmup });
  const runs = { a: [], b: [], ratio: [] };
  for (let i = 0; i < pairs; i++) {
    const ra = await load({ ...a, connections, duration, pid: ctx.server.pid });
    assertHealthy(ra, a.name);
    const rb = await load({ ...b, connections, duration, pid: ctx.server.pid });
    assertHealthy(rb, b.name);
    runs.a.push(ra);
    runs.b.push(rb);
    runs.ratio.push(ra.rps / rb.rps);
    ctx.log(
      `  pair ${i + 1}/${pairs}: ${a.name} ${ra.rps.toFixed(0)} req/s, ${b.name} ${rb.rps.toFixed(0)} req/s, ratio ${(ra.rps / rb.rps).toFixed(3)}`,
    );
  }
  return runs;
}

function throughputRows(ctx, n, scenario, runs, a, b, target) {
  ctx.rows.push(
    measured(n, scenario, `throughput ratio (${a} / ${b})`, runs.ratio, { target: ratioAtLeast(target) }),
    measured(
      n,
      scenario,
      `${a}: requests/s`,
      runs.a.map((r) => r.rps),
      { format: "int" },
    ),
    measured(
      n,
      scenario,
      `${b}: requests/s`,
      runs.b.map((r) => r.rps),
      { format: "int" },
    ),
    measured(
      n,
      scenario,
      `${a}: p99 latency`,
      runs.a.map((r) => r.p99),
      { format: "ms", unit: "ms" },
    ),
    measured(
      n,
      scenario,
      `${b}: p99 latency`,
      runs.b.map((r) => r.p99),
      { format: "ms", unit: "ms" },
    ),
    measured(
      n,
      scenario,
      `${a}: server CPU per request`,
      runs.a.map((r) => r.cpuMsPerRequest),
      { format: "ms", unit: "ms" },
    ),
    measured(
      n,
      scenario,
      `${b}: server CPU per request`,
      runs.b.map((r) => r.cpuMsPerRequest),
      { format: "ms", unit: "ms" },
    ),
  );
}

// 1. GET /api/v1/user/balance with a warm valid key vs /api/bench/balance (no guard, same read).
export async function scenario1(ctx) {
  const { setup } = ctx;
  const guarded = { name: "guarded", url: at(ctx, "/api/v1/user/balance"), headers: apiKey(setup.keys.full.secret) };
  const open = { name: "unguarded", url: at(ctx, `/api/bench/balance?workspace=${setup.workspaces.main}`) };
  const g = await expectStatus(guarded.url, { headers: guarded.headers }, 200, "GET /api/v1/user/balance");
  const o = await request(open.url);
  if (o.status === 404)
    throw new Error("/api/bench/balance answers 404: the build predates it (run `next build`) or BENCH_ROUTES is not true");
  if (o.status !== 200) throw new Error(`/api/bench/balance: ${o.status} ${o.text.slice(0, 200)}`);
  const keys = (t) => Object.keys(JSON.parse(t)).sort().join(",");
  if (keys(g.text) !== keys(o.text)) throw new Error(`the two routes answer different JSON: ${g.text} vs ${o.text}`);
  const runs = await pairedLoad(ctx, guarded, open);
  throughputRows(ctx, 1, "GET /user/balance: warm key vs no guard, same read", runs, "guarded", "unguarded", 0.9);
}

// 10. GET /api/v1/user/balance with a warm valid key vs /api/bench/floor: the minimal Next.js route
// handler doing the same read (postgres driver directly, no Drizzle, no guard, no helpers).
export async function scenario10(ctx) {
  const { setup } = ctx;
  const scenario = "GET /user/balance: guarded vs the floor (minimal route handler, same read)";
  if (!ctx.postgres) {
    ctx.rows.push(
      failed(10, scenario, "throughput ratio (guarded / floor)", "needs DATABASE_URL (the floor uses the postgres driver)", {
        status: "skipped",
        target: ratioAtLeast(0.9),
      }),
    );
    return;
  }
  const guarded = { name: "guarded", url: at(ctx, "/api/v1/user/balance"), headers: apiKey(setup.keys.full.secret) };
  const floor = { name: "floor", url: at(ctx, `/api/bench/floor?workspace=${setup.workspaces.main}`) };
  const g = await expectStatus(guarded.url, { headers: guarded.headers }, 200, "GET /api/v1/user/balance");
  const f = await request(floor.url);
  if (f.status === 404)
    throw new Error("/api/bench/floor answers 404: the build predates it (run `next build`) or BENCH_ROUTES is not true");
  if (f.status !== 200) throw new Error(`/api/bench/floor: ${f.status} ${f.text.slice(0, 200)}`);
  if (g.text.length !== f.text.length || Object.keys(JSON.parse(g.text)).sort().join() !== Object.keys(JSON.parse(f.text)).sort().join())
    throw new Error(`the two routes answer different JSON: ${g.text} vs ${f.text}`);
  const runs = await pairedLoad(ctx, guarded, floor);
  throughputRows(ctx, 10, scenario, runs, "guarded", "floor", 0.9);
}

// 3. The same endpoint with two keys of the same permissions, one off the record.
export async function scenario3(ctx) {
  const { setup } = ctx;
  const url = at(ctx, "/api/v1/user/balance");
  const logged = { name: "logged", url, headers: apiKey(setup.keys.full.secret) };
  const offRecord = { name: "off the record", url, headers: apiKey(setup.keys.offRecord.secret) };
  await expectStatus(url, { headers: logged.headers }, 200, "logged key");
  await expectStatus(url, { headers: offRecord.headers }, 200, "off-the-record key");
  const runs = await pairedLoad(ctx, logged, offRecord);
  throughputRows(ctx, 3, "Request log: logged vs off the record", runs, "logged", "off the record", 0.9);
}

// 4. HMAC-signed vs unsigned POST /user/pricing, every request with its own body (a
// signature is accepted once), both sides computing the HMAC so the client's work is equal.
export async function scenario4(ctx) {
  const { setup } = ctx;
  const path = "/api/v1/user/pricing";
  const secret = setup.keys.hmac.signingSecret;
  let counter = 0;
  const nextRequest = (signed) => (req) => {
    const body = JSON.stringify({ n: ++counter, run: ctx.runId });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac("sha256", secret).update(`POST|${path}|${timestamp}|${body}`).digest("hex");
    const headers = { ...req.headers, "content-type": "application/json" };
    if (signed) Object.assign(headers, { "x-timestamp": timestamp, "x-signature": signature });
    return { ...req, body, headers };
  };
  const signed = {
    name: "signed",
    url: at(ctx, path),
    method: "POST",
    headers: apiKey(setup.keys.hmac.secret),
    setupRequest: nextRequest(true),
  };
  const unsigned = {
    name: "unsigned",
    url: at(ctx, path),
    method: "POST",
    headers: apiKey(setup.keys.full.secret),
    setupRequest: nextRequest(false),
  };
  const probe = nextRequest(true)({ headers: signed.headers });
  await expectStatus(signed.url, { method: "POST", headers: probe.headers, body: probe.body }, 200, "signed POST /user/pricing");
  const runs = await pairedLoad(ctx, signed, unsigned);
  throughputRows(ctx, 4, "POST /user/pricing: HMAC-signed vs unsigned", runs, "signed", "unsigned", 0.9);
}

// 5. POST /sms/send with 1 and 100 recipients, test and live keys.
export async function scenario5(ctx) {
  const { setup, params } = ctx;
  const recipients = (n, offset) => Array.from({ length: n }, (_, i) => `+4474001${String(offset + i).padStart(5, "0")}`);
  const variants = [
    { mode: "test", n: 1, secret: setup.keys.test.secret },
    { mode: "test", n: 100, secret: setup.keys.test.secret },
    { mode: "live", n: 1, secret: setup.keys.full.secret },
    { mode: "live", n: 100, secret: setup.keys.full.secret },
  ];
  const url = at(ctx, "/api/v1/sms/send");
  const drained = [];
  for (const v of variants) {
    const body = JSON.stringify({ to: recipients(v.n, 100), message: "Benchmark: your code is 123456", sender_id: "Acme" });
    const headers = { ...apiKey(v.secret), "content-type": "application/json" };
    const label = `${v.mode}, ${v.n} recipient${v.n > 1 ? "s" : ""}`;
    const p99Target = v.mode === "live" && v.n === 100 ? { op: "<", value: 250 } : null;
    let probe;
    try {
      probe = await request(url, { method: "POST", headers, body, timeoutMs: params.probeTimeoutMs });
    } catch (error) {
      if (error?.name !== "TimeoutError") throw error;
      // A measurement, not a broken harness: the server is too busy (its job backlog) to answer.
      const within = `${params.probeTimeoutMs / 1000} s`;
      ctx.log(`  ${label}: no answer within ${within}`);
      ctx.rows.push(
        failed(
          5,
          `POST /sms/send, ${label}`,
          "p99 latency",
          `no answer to a single send within ${within} (server busy with the job backlog)`,
          { status: "unresponsive", target: p99Target, format: "ms", unit: "ms" },
        ),
      );
      const waited = await waitForIdle(ctx.server.pid, { maxMs: params.drainMaxMs });
      if (waited !== null) drained.push(`${label} (not measured): ${waited.toFixed(0)} s`);
      continue;
    }
    if (probe.status === 404 && /NOT_FOUND/.test(probe.text)) {
      ctx.rows.push(failed(5, `POST /sms/send, ${label}`, "requests/s", "endpoint missing", { status: "missing" }));
      continue;
    }
    if (probe.status !== 200) throw new Error(`POST /sms/send (${label}): ${probe.status} ${probe.text.slice(0, 300)}`);
    const accepted = JSON.parse(probe.text).summary?.accepted_count;
    if (accepted !== v.n)
      throw new Error(`POST /sms/send (${label}): ${accepted} of ${v.n} recipients accepted: ${probe.text.slice(0, 300)}`);
    ctx.log(`  ${label}`);
    await load({ url, method: "POST", headers, body, connections: params.connections, duration: params.warmup });
    const runs = [];
    const starved = [];
    for (let i = 0; i < params.sendRuns; i++) {
      const run = await load({
        url,
        method: "POST",
        headers,
        body,
        connections: params.connections,
        duration: params.duration,
        pid: ctx.server.pid,
      });
      assertHealthy(run, `POST /sms/send (${label})`);
      if (run.ok === 0) starved.push(i + 1);
      runs.push(run);
      ctx.log(
        `    run ${i + 1}/${params.sendRuns}: ${run.rps.toFixed(0)} req/s, p99 ${run.ok ? run.p99 : `> ${params.duration * 1000}`} ms`,
      );
    }
    const starvedNote = starved.length
      ? `run ${starved.join(", ")}: no answer within the ${params.duration} s run (p99 counted as ${params.duration * 1000} ms)`
      : "";
    // Latency without queueing behind other sends of the same workspace: one connection.
    let single = null;
    if (v.mode === "live" && v.n === 100) {
      await waitForIdle(ctx.server.pid, { maxMs: params.drainMaxMs });
      single = await load({ url, method: "POST", headers, body, connections: 1, duration: params.duration });
      assertHealthy(single, `POST /sms/send (${label}, 1 connection)`);
      ctx.log(`    1 connection: ${single.rps.toFixed(0)} req/s, p99 ${p99Of(single, params.duration)} ms`);
    }
    // The carrier and delivery-report jobs of these sends run after them: the next variant starts once they are done.
    const maxWaitMs = params.drainMaxMs;
    const waited = await waitForIdle(ctx.server.pid, { maxMs: maxWaitMs });
    if (waited !== null)
      drained.push(`${label}: ${waited * 1000 >= maxWaitMs ? `still busy after ${waited.toFixed(0)} s` : `${waited.toFixed(0)} s`}`);
    ctx.log(`    the server was idle again after ${waited?.toFixed(0) ?? "?"} s`);
    const scenario = `POST /sms/send, ${label}`;
    ctx.rows.push(
      measured(
        5,
        scenario,
        "requests/s",
        runs.map((r) => r.rps),
        { format: "int", note: starvedNote },
      ),
      // Undefined for runs in which nothing completed.
      ...(runs.some((r) => Number.isFinite(r.cpuMsPerRequest))
        ? [
            measured(
              5,
              scenario,
              "server CPU per request",
              runs.map((r) => r.cpuMsPerRequest),
              { format: "ms", unit: "ms" },
            ),
          ]
        : []),
      ...(v.n > 1
        ? [
            measured(
              5,
              scenario,
              "recipients/s",
              runs.map((r) => r.rps * v.n),
              { format: "int" },
            ),
          ]
        : []),
      measured(
        5,
        scenario,
        `p99 latency (${params.connections} connections)`,
        runs.map((r) => p99Of(r, params.duration)),
        { format: "ms", unit: "ms", target: p99Target, note: starvedNote },
      ),
      ...(single
        ? [
            measured(5, scenario, "requests/s, 1 connection", [single.rps], { format: "int" }),
            measured(5, scenario, "p99 latency, 1 connection", [p99Of(single, params.duration)], { format: "ms", unit: "ms" }),
          ]
        : []),
    );
  }
  if (drained.length) {
    ctx.notes.push(
      `Scenario 5: each variant starts on an idle server; after its runs, the server's job workers (carrier hand-offs, delivery reports) kept it busy for ${drained.join(", ")}.`,
    );
  }
}

// 6. Revoke through instance A, poll instance B until it refuses the key.
export async function scenario6(ctx) {
  const scenario = "Revoke on A, time until B refuses";
  if (!ctx.startSecondServer) {
    ctx.rows.push(
      failed(6, scenario, "time until B answers 401", "needs DATABASE_URL (two instances)", {
        status: "skipped",
        target: { op: "<=", value: 1000 },
        format: "ms",
        unit: "ms",
      }),
    );
    return;
  }
  const b = await ctx.startSecondServer();
  try {
    const admin = apiKey(ctx.setup.keys.full.secret);
    const times = [];
    let polls = 0;
    for (let i = 0; i < ctx.params.revokes; i++) {
      const created = await expectStatus(
        at(ctx, "/api/v1/keys"),
        {
          method: "POST",
          headers: { ...admin, "content-type": "application/json" },
          body: JSON.stringify({ name: `Bench revoke ${i + 1}`, permissions: ["balance.read"] }),
        },
        201,
        "POST /keys on A",
      );
      const key = JSON.parse(created.text);
      const onB = () => request(`${b.url}/api/v1/user/balance`, { headers: apiKey(key.secret) });
      for (let w = 0; w < 3; w++) {
        const warm = await onB();
        if (warm.status !== 200) throw new Error(`B refused a fresh key: ${warm.status} ${warm.text.slice(0, 200)}`);
      }
      await expectStatus(at(ctx, `/api/v1/keys/${key.id}`), { method: "DELETE", headers: admin }, 200, "DELETE /keys/:id on A");
      const revokedAt = process.hrtime.bigint();
      let refusedAfter = null;
      while (Number(process.hrtime.bigint() - revokedAt) / 1e6 < 5000) {
        const res = await onB();
        polls++;
        if (res.status === 401) {
          refusedAfter = Number(process.hrtime.bigint() - revokedAt) / 1e6;
          break;
        }
        if (res.status !== 200) throw new Error(`B answered ${res.status} while polling: ${res.text.slice(0, 200)}`);
      }
      times.push(refusedAfter ?? Infinity);
      ctx.log(`  revoke ${i + 1}/${ctx.params.revokes}: B refused after ${refusedAfter === null ? "> 5000" : refusedAfter.toFixed(1)} ms`);
      await sleep(200);
    }
    const never = times.filter((t) => t === Infinity).length;
    ctx.rows.push(
      measured(
        6,
        scenario,
        "time until B answers 401 (after A's 200)",
        times.map((t) => (t === Infinity ? 5000 : t)),
        {
          format: "ms",
          unit: "ms",
          target: { op: "<=", value: 1000 },
          note: never ? `${never} of ${times.length} not refused within 5 s (counted as 5000 ms)` : "",
        },
      ),
    );
    ctx.notes.push(`Scenario 6: ${ctx.params.revokes} revokes, ${polls} polls of B in total (back to back, no pause).`);
  } finally {
    await b.stop();
  }
}

/** RSS of the server over ~0.5 s: the baseline before an export. */
async function baselineRss(pid) {
  const samples = [];
  for (let i = 0; i < 10; i++) {
    samples.push(rssMb(pid));
    await sleep(50);
  }
  return median(samples);
}

// 7. CSV export: the big workspace vs the small one; rows/s and the server's peak RSS.
export async function scenario7(ctx) {
  const { setup, params } = ctx;
  const { big, small, from, to } = setup.exportRows;
  const label = `CSV export, ${big.toLocaleString("en-US")} vs ${small.toLocaleString("en-US")} rows`;
  const url = at(ctx, `/api/v1/sms/messages/unified/export?from=${from}&to=${to}`);
  const sides = [
    { name: "big", rows: big, headers: apiKey(setup.keys.exportBig.secret) },
    { name: "small", rows: small, headers: apiKey(setup.keys.exportSmall.secret) },
  ];
  const probe = await streamLines(url, sides[1].headers);
  if (probe.status === 404 && /NOT_FOUND/.test(probe.head)) {
    ctx.rows.push(failed(7, label, "rows/s and peak RSS", "endpoint missing", { status: "missing", target: { op: "<=", value: 1.5 } }));
    return;
  }
  if (probe.status !== 200 || !/csv/.test(probe.contentType))
    throw new Error(`export: ${probe.status} ${probe.contentType} ${probe.head.slice(0, 300)}`);
  if (probe.lines - 1 !== small) throw new Error(`export of the small workspace gave ${probe.lines - 1} rows, expected ${small}`);

  // Each export runs on a freshly started server, after one warm-up export of the small side (code loaded,
  // caches filled): peak RSS then measures that export alone, not the heap an earlier one left behind.
  const result = { big: { rps: [], peak: [], growth: [] }, small: { rps: [], peak: [], growth: [] }, peakRatio: [], growthRatio: [] };
  for (let i = 0; i < params.exportPairs; i++) {
    const pair = {};
    for (const side of sides) {
      await ctx.restartServer();
      const pid = ctx.server.pid;
      const warm = await streamLines(url, sides[1].headers);
      if (warm.status !== 200) throw new Error(`export warm-up: ${warm.status} ${warm.head.slice(0, 200)}`);
      await waitForIdle(pid, { maxMs: 30_000 });
      const base = await baselineRss(pid);
      const sampler = sampleRss(pid, 50);
      const res = await streamLines(url, side.headers);
      const samples = sampler.stop();
      if (res.status !== 200) throw new Error(`export (${side.name}): ${res.status} ${res.head.slice(0, 200)}`);
      const rows = res.lines - 1;
      if (rows !== side.rows) throw new Error(`export (${side.name}) gave ${rows} rows, expected ${side.rows}`);
      const peak = Math.max(...samples);
      pair[side.name] = { peak, growth: Math.max(0, peak - base) };
      result[side.name].rps.push(rows / (res.ms / 1000));
      result[side.name].peak.push(peak);
      result[side.name].growth.push(Math.max(0, peak - base));
      ctx.log(
        `  pair ${i + 1}/${params.exportPairs}, ${side.name}: ${rows} rows in ${(res.ms / 1000).toFixed(2)} s, ${(res.bytes / 1e6).toFixed(1)} MB; RSS ${base.toFixed(0)} → peak ${peak.toFixed(0)} MB`,
      );
    }
    result.peakRatio.push(pair.big.peak / pair.small.peak);
    // Growth below 1 MB is noise: floor the denominator there.
    result.growthRatio.push(pair.big.growth / Math.max(1, pair.small.growth));
  }
  const b = big.toLocaleString("en-US");
  const s = small.toLocaleString("en-US");
  ctx.rows.push(
    measured(7, label, `server peak RSS ratio (${b} / ${s} rows)`, result.peakRatio, { target: { op: "<=", value: 1.5 } }),
    measured(7, label, `${b} rows: rows/s`, result.big.rps, { format: "int" }),
    measured(7, label, `${s} rows: rows/s`, result.small.rps, { format: "int" }),
    measured(7, label, `${b} rows: server peak RSS`, result.big.peak, { format: "mb", unit: "MB" }),
    measured(7, label, `${s} rows: server peak RSS`, result.small.peak, { format: "mb", unit: "MB" }),
    measured(7, label, `${b} rows: RSS growth over baseline`, result.big.growth, { format: "mb", unit: "MB" }),
    measured(7, label, `${s} rows: RSS growth over baseline`, result.small.growth, { format: "mb", unit: "MB" }),
  );
  ctx.notes.push(
    "Scenario 7: each export runs on a freshly started server after one warm-up export of the small side; RSS is the server process's VmRSS sampled every 50 ms during the export (the database is in that process on PGlite, a separate process on Postgres). " +
      "The target compares peak RSS; the growth over the baseline measured just before each export is listed too (its ratio, " +
      `median ${median(result.growthRatio).toFixed(1)}, is dominated by the garbage collector's timing at these sizes and is not a target).`,
  );
}

// 8. The keys page, server-rendered for a signed-in owner: workspace with 10 keys vs 10,000.
export async function scenario8(ctx) {
  const { setup, params } = ctx;
  const cookie = (workspace) => `${setup.session.name}=${setup.session.value}; workspace=${workspace}`;
  const big = setup.keyCounts[setup.workspaces.keys10k];
  const label = `Keys page: 10 vs ${big.toLocaleString("en-US")} keys`;
  const url = at(ctx, "/settings/api-keys");
  const get = async (workspace) => {
    const res = await fetch(url, { headers: { cookie: cookie(workspace) }, redirect: "manual", signal: AbortSignal.timeout(60_000) }).then(
      async (r) => ({ status: r.status, text: await r.text() }),
    );
    return res;
  };
  for (const ws of [setup.workspaces.keys10, setup.workspaces.keys10k]) {
    const res = await get(ws);
    if (res.status !== 200)
      throw new Error(`GET /settings/api-keys: ${res.status} (is the session cookie accepted?) ${res.text.slice(0, 200)}`);
    if (!res.text.includes("Bench key")) throw new Error("GET /settings/api-keys did not render the workspace's keys");
  }
  const time = async (workspace) => {
    const start = process.hrtime.bigint();
    const res = await get(workspace);
    if (res.status !== 200) throw new Error(`GET /settings/api-keys: ${res.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let i = 0; i < 5; i++) {
    await time(setup.workspaces.keys10);
    await time(setup.workspaces.keys10k);
  }
  const a = [];
  const b = [];
  const ratio = [];
  for (let i = 0; i < params.pagePairs; i++) {
    const ta = [];
    const tb = [];
    for (let k = 0; k < params.pageRequests; k++) ta.push(await time(setup.workspaces.keys10));
    for (let k = 0; k < params.pageRequests; k++) tb.push(await time(setup.workspaces.keys10k));
    a.push(median(ta));
    b.push(median(tb));
    ratio.push(median(tb) / median(ta));
  }
  ctx.log(`  10 keys ${median(a).toFixed(1)} ms, ${big} keys ${median(b).toFixed(1)} ms`);
  ctx.rows.push(
    measured(8, label, `render time ratio (${big.toLocaleString("en-US")} / 10 keys)`, ratio, { target: { op: "<=", value: 1.5 } }),
    measured(8, label, "10 keys: full response time", a, { format: "ms", unit: "ms" }),
    measured(8, label, `${big.toLocaleString("en-US")} keys: full response time`, b, { format: "ms", unit: "ms" }),
  );
}

// 11. A workspace with 1,000,000 messages over 90 days must feel like one with 10,000: the server time of
// the dashboard (`/`), the statistics page (`/statistics`, when the route answers 200) and
// GET /api/v1/sms/stats?period=30d, small and big workspace alternately. Short mode uses 50,000 for the big one.
export async function scenario11(ctx) {
  const { setup, params } = ctx;
  const small = setup.statsRows.small;
  const big = setup.statsRows.big;
  const n = (x) => x.toLocaleString("en-US");
  const label = `Statistics: ${n(small)} vs ${n(big)} messages over 90 days`;
  if (big < 1_000_000) ctx.log(`  short mode: the big workspace has ${n(big)} messages, not 1,000,000`);
  const cookie = (workspace) => `${setup.session.name}=${setup.session.value}; workspace=${workspace}`;
  const page = (path) => (side) => ({
    url: at(ctx, path),
    headers: { cookie: cookie(side === "big" ? setup.workspaces.statsBig : setup.workspaces.statsSmall) },
  });
  const api = (side) => ({
    url: at(ctx, "/api/v1/sms/stats?period=30d"),
    headers: apiKey(side === "big" ? setup.keys.statsBig.secret : setup.keys.statsSmall.secret),
  });
  const get = async ({ url, headers }) => {
    const start = process.hrtime.bigint();
    const r = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(60_000) });
    const text = await r.text();
    return { status: r.status, text, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  };
  const targets = [
    { name: "dashboard /", request: page("/"), dashboard: true },
    { name: "statistics page /statistics", request: page("/statistics") },
    { name: "GET /sms/stats?period=30d", request: api },
  ];
  for (const target of targets) {
    const probe = await get(target.request("small"));
    if (probe.status !== 200) {
      const note = `answers ${probe.status} (not built yet?): skipped`;
      ctx.log(`  ${target.name} ${note}`);
      ctx.rows.push(failed(11, label, `${target.name}: time ratio`, note, { status: "skipped" }));
      continue;
    }
    if ((await get(target.request("big"))).status !== 200) throw new Error(`${target.name}: the big workspace does not answer 200`);
    for (let i = 0; i < 3; i++) {
      await get(target.request("small"));
      await get(target.request("big"));
    }
    const a = [];
    const b = [];
    const ratio = [];
    for (let i = 0; i < params.pagePairs; i++) {
      const ta = [];
      const tb = [];
      for (let k = 0; k < params.pageRequests; k++) ta.push((await get(target.request("small"))).ms);
      for (let k = 0; k < params.pageRequests; k++) tb.push((await get(target.request("big"))).ms);
      a.push(median(ta));
      b.push(median(tb));
      ratio.push(median(tb) / median(ta));
    }
    ctx.log(
      `  ${target.name}: ${n(small)} ${median(a).toFixed(1)} ms, ${n(big)} ${median(b).toFixed(1)} ms, ratio ${median(ratio).toFixed(2)}`,
    );
    ctx.rows.push(
      measured(11, label, `${target.name}: time ratio (${n(big)} / ${n(small)})`, ratio, { target: { op: "<=", value: 1.5 } }),
      measured(11, label, `${target.name}: ${n(small)} messages`, a, { format: "ms", unit: "ms" }),
      measured(11, label, `${target.name}: ${n(big)} messages`, b, {
        format: "ms",
        unit: "ms",
        ...(target.dashboard ? { target: { op: "<", value: 300 } } : {}),
      }),
    );
  }
}

/**
 * Scenario 12: the Audit log page (/audit) server render for the owner, in an
 * organization with 10,000 vs 1,000,000 events over a year (short mode: 50,000,
 * said so): the first page, a filtered page (actor and action: a tenth of the
 * events) and a page in the middle of the log (a cursor half-way down: no OFFSET,
 * so it costs what the first does), alternately.
 */
export async function scenario12(ctx) {
  const { setup, params } = ctx;
  const { big, small } = setup.audit;
  const n = (x) => x.toLocaleString("en-US");
  const label = `Audit log: ${n(small.events)} vs ${n(big.events)} events`;
  if (big.events < 1_000_000) ctx.log(`  short mode: the big organization has ${n(big.events)} audit events, not 1,000,000`);
  ctx.log(`  setup inserted the audit events in ${setup.audit.seconds.toFixed(1)} s`);
  const request = (path) => (side) => {
    const org = side === "big" ? big : small;
    return {
      url: at(ctx, typeof path === "function" ? path(org) : path),
      headers: { cookie: `${setup.session.name}=${setup.session.value}; workspace=${org.workspace}` },
    };
  };
  const get = async ({ url, headers }) => {
    const start = process.hrtime.bigint();
    const r = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(60_000) });
    const text = await r.text();
    return { status: r.status, text, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  };
  const targets = [
    { name: "first page /audit", request: request("/audit") },
    { name: "filtered /audit?actor=…&action=key.update", request: request(`/audit?actor=user%3A${setup.ownerId}&action=key.update`) },
    { name: "middle page /audit?after=…", request: request((org) => `/audit?after=${encodeURIComponent(org.middle)}`) },
  ];
  for (const target of targets) {
    for (const side of ["small", "big"]) {
      const probe = await get(target.request(side));
      if (probe.status !== 200) throw new Error(`${target.name}: the ${side} organization answers ${probe.status}`);
      if (!probe.text.includes("Audit events, newest first")) throw new Error(`${target.name}: no audit table in the ${side} answer`);
    }
    for (let i = 0; i < 3; i++) {
      await get(target.request("small"));
      await get(target.request("big"));
    }
    const a = [];
    const b = [];
    const ratio = [];
    for (let i = 0; i < params.pagePairs; i++) {
      const ta = [];
      const tb = [];
      for (let k = 0; k < params.pageRequests; k++) ta.push((await get(target.request("small"))).ms);
      for (let k = 0; k < params.pageRequests; k++) tb.push((await get(target.request("big"))).ms);
      a.push(median(ta));
      b.push(median(tb));
      ratio.push(median(tb) / median(ta));
    }
    ctx.log(
      `  ${target.name}: ${n(small.events)} ${median(a).toFixed(1)} ms, ${n(big.events)} ${median(b).toFixed(1)} ms, ratio ${median(ratio).toFixed(2)}`,
    );
    ctx.rows.push(
      measured(12, label, `${target.name}: time ratio (${n(big.events)} / ${n(small.events)})`, ratio, {
        target: { op: "<=", value: 1.5 },
      }),
      measured(12, label, `${target.name}: ${n(small.events)} events`, a, { format: "ms", unit: "ms" }),
      measured(12, label, `${target.name}: ${n(big.events)} events`, b, { format: "ms", unit: "ms" }),
    );
  }
}

// 13. (ours) POST /sms/send with a key that has a daily spend cap (one conditional upsert of the
// key's day row in the send's transaction) vs a key without one (no statement), both live, one
// recipient, same workspace. The cap is far above what the run spends, so every send passes it.
// Each run starts on an idle server (the carrier jobs of the previous run done), sides alternate.
// After each pair, POST /sms/preview (ours) of the same body with the uncapped key: what the
// portal's composer and a careful client pay to know price, segments and encoding before sending
// (nothing sent or billed; reported, no target).
export async function scenario13(ctx) {
  const { setup, params } = ctx;
  const scenario = "POST /sms/send: capped key vs uncapped key (live, 1 recipient)";
  const url = at(ctx, "/api/v1/sms/send");
  const body = JSON.stringify({ to: ["+447400100012"], message: "Benchmark: your code is 123456", sender_id: "Acme" });
  const side = (name, secret) => ({ name, url, method: "POST", body, headers: { ...apiKey(secret), "content-type": "application/json" } });
  const uncapped = side("uncapped", setup.keys.full.secret);
  const capped = side("capped", setup.keys.capped.secret);
  const preview = { ...uncapped, name: "preview", url: at(ctx, "/api/v1/sms/preview") };
  const previewProbe = await expectStatus(preview.url, { method: "POST", headers: preview.headers, body }, 200, "POST /sms/preview");
  if (!JSON.parse(previewProbe.text).recipients) throw new Error(`preview: no recipients: ${previewProbe.text.slice(0, 300)}`);
  for (const s of [uncapped, capped]) {
    const probe = await expectStatus(url, { method: "POST", headers: s.headers, body }, 200, `POST /sms/send (${s.name})`);
    if (JSON.parse(probe.text).summary?.accepted_count !== 1) throw new Error(`${s.name}: not accepted: ${probe.text.slice(0, 300)}`);
  }
  const idle = () => waitForIdle(ctx.server.pid, { maxMs: params.drainMaxMs });
  for (const s of [uncapped, capped]) {
    await load({ ...s, connections: params.connections, duration: params.warmup });
    await idle();
  }
  const runs = { a: [], b: [], ratio: [], preview: [] };
  for (let i = 0; i < params.pairs; i++) {
    // Alternate which side goes first, so a backlog the idle wait did not clear weighs on both.
    const order = i % 2 === 0 ? [capped, uncapped] : [uncapped, capped];
    const got = {};
    for (const s of order) {
      await idle();
      const r = await load({ ...s, connections: params.connections, duration: params.duration, pid: ctx.server.pid });
      assertHealthy(r, `POST /sms/send (${s.name})`);
      got[s.name] = r;
    }
    runs.a.push(got.capped);
    runs.b.push(got.uncapped);
    // The cost of a capped send relative to an uncapped one: uncapped throughput / capped throughput.
    runs.ratio.push(got.uncapped.rps / got.capped.rps);
    await idle();
    const previewed = await load({ ...preview, connections: params.connections, duration: params.duration, pid: ctx.server.pid });
    assertHealthy(previewed, "POST /sms/preview");
    runs.preview.push(previewed);
    ctx.log(
      `  pair ${i + 1}/${params.pairs}: capped ${got.capped.rps.toFixed(0)} req/s, uncapped ${got.uncapped.rps.toFixed(0)} req/s, cost ratio ${(got.uncapped.rps / got.capped.rps).toFixed(3)}; preview ${previewed.rps.toFixed(0)} req/s`,
    );
  }
  await idle();
  ctx.rows.push(
    measured(13, scenario, "cost ratio (capped / uncapped: uncapped req/s ÷ capped req/s)", runs.ratio, {
      target: { op: "<=", value: 1.1 },
    }),
    measured(
      13,
      scenario,
      "capped: requests/s",
      runs.a.map((r) => r.rps),
      { format: "int" },
    ),
    measured(
      13,
      scenario,
      "uncapped: requests/s",
      runs.b.map((r) => r.rps),
      { format: "int" },
    ),
    measured(
      13,
      scenario,
      "capped: p99 latency",
      runs.a.map((r) => r.p99),
      { format: "ms", unit: "ms" },
    ),
    measured(
      13,
      scenario,
      "uncapped: p99 latency",
      runs.b.map((r) => r.p99),
      { format: "ms", unit: "ms" },
    ),
    measured(
      13,
      scenario,
      "capped: server CPU per request",
      runs.a.map((r) => r.cpuMsPerRequest),
      { format: "ms", unit: "ms" },
    ),
    measured(
      13,
      scenario,
      "uncapped: server CPU per request",
      runs.b.map((r) => r.cpuMsPerRequest),
      { format: "ms", unit: "ms" },
    ),
    measured(
      13,
      scenario,
      "POST /sms/preview (same body): requests/s",
      runs.preview.map((r) => r.rps),
      { format: "int" },
    ),
    measured(
      13,
      scenario,
      "POST /sms/preview (same body): p99 latency",
      runs.preview.map((r) => r.p99),
      { format: "ms", unit: "ms" },
    ),
  );
}
