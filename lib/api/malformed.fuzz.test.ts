/**
 * Every malformed request gets the §2 envelope, never a 500 (issue #10 §2).
 *
 * Generates requests to every /api/v1 operation from the OpenAPI document
 * (tests/malformed.ts): methods, paths, queries, headers, bodies and keys,
 * valid, at their edges and past them. Each goes through the real route
 * handlers against a real database, as the portal routes it (tests/api-dispatch.ts:
 * server.mjs's own answers first), and every answer must hold:
 *   - no 5xx, and the whole answer can be read (none ends half-way);
 *   - every 4xx is `{"status": false, "error_code", "description"}` with a code
 *     of lib/api/errors.ts at its status, listed for that operation in the
 *     OpenAPI document (NOT_FOUND for an unknown path, METHOD_NOT_ALLOWED for a
 *     method the path does not serve);
 *   - every answer carries X-Request-Id;
 *   - no 2xx without a valid key (the OpenAPI document itself is public), and
 *     a JSON 2xx matches the operation's response schema.
 * Most requests carry a valid test-mode key, so they reach the input parsing
 * and nothing is ever debited; each comes from its own client address, so the
 * failed-authentication limit (20 a minute per address) never turns later
 * cases into 429s.
 *
 * Seeded and reproducible. The seed is printed on every run; a failure prints
 * the seed, the case's path and the request. Environment:
 *   FUZZ_RUNS  cases per run (default 10000)
 *   FUZZ_SEED  the seed (default: a new one per run)
 *   FUZZ_PATH  with FUZZ_SEED: replay only the case at this path (from a failure's report)
 * Replay one case:
 *   FUZZ_SEED=1234 FUZZ_PATH=567:0:1 DATABASE_URL=… REDIS_URL=… node_modules/.bin/vitest run lib/api/malformed.fuzz.test.ts
 * (The database starts fresh, so a case that depended on what earlier cases
 * wrote may need the whole run: FUZZ_SEED alone.)
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaces } from "@/db/schema";
import { signatureOf } from "@/lib/api/guard/authenticate";
import { generateKey } from "@/lib/keys/format";
import { revokeKey, setKeyEnabled } from "@/lib/keys/service";
import { contextFor } from "@/lib/workspaces/context";
import { dispatch, isApiTarget, type RawRequest } from "@/tests/api-dispatch";
import { makeKey } from "@/tests/api";
import { caseArb, rawRequest, strayCaseArb, type FuzzCase, type FuzzWorld, type KeyChoice, type OpenApiDoc } from "@/tests/malformed";
import { send, setupSms, teardownSms, type SmsEnv } from "@/tests/sms";
import { startReceiver, type Receiver } from "@/tests/webhook-receiver";
import { API_ERRORS, type ApiErrorCode } from "./errors";
import { openApiDocument } from "./openapi";
import { OPERATIONS } from "./v1";

// Webhook URLs are generated only as this file's receivers (on 127.0.0.1); test events reach them at once.
process.env.WEBHOOKS_ALLOW_PRIVATE = "true";

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED === undefined ? randomBytes(4).readInt32LE() : Number(process.env.FUZZ_SEED);
const PATH = process.env.FUZZ_PATH;
/** Longer than any answer may take: the webhook test's 5 s receiver timeout, plus margin. */
const ANSWER_WITHIN_MS = 8000;

let env: SmsEnv;
let receiver: Receiver;
let world: FuzzWorld;
const keys: Partial<Record<KeyChoice, { secret: string; signingSecret?: string | null }>> = {};
const VALID_KEYS = new Set<KeyChoice>(["test", "live-read", "other-workspace", "hmac"]);
const tally = new Map<string, number>();

beforeAll(async () => {
  env = await setupSms();
  const { t } = env;
  // The per-workspace request limit is not under test here (guard.limits.test.ts): set it out of reach.
  await t.db.update(workspaces).set({ rateLimitPerSecond: 1_000_000 });
  receiver = await startReceiver(() => 200);

  const main = t.seed.mainWorkspaceId;
  const staging = t.seed.stagingWorkspaceId;
  keys.test = await makeKey(t, { name: "fuzz", mode: "test", permissions: ["*"] });
  keys["live-read"] = await makeKey(t, {
    name: "fuzz reads",
    permissions: ["sms.read", "balance.read", "pricing.read", "payments.read", "webhooks.read", "keys.read"],
  });
  keys["other-workspace"] = await makeKey(t, { name: "fuzz staging", mode: "test", permissions: ["*"] }, staging);
  keys.hmac = await makeKey(t, { name: "fuzz hmac", mode: "test", permissions: ["*"], hmac: true });
  keys.unknown = { secret: generateKey("test").secret };
  const ctx = await contextFor(t.db, t.seed.userIds.owner, main);
  const revoked = await makeKey(t, { name: "fuzz revoked", mode: "test" });
  await revokeKey(t.db, ctx, revoked.key.id);
  keys.revoked = revoked;
  const disabled = await makeKey(t, { name: "fuzz disabled", mode: "test" });
  await setKeyEnabled(t.db, ctx, disabled.key.id, false);
  keys.disabled = disabled;

  // Things the generated ids may name: keys the fuzz may edit, roll and revoke (never its own), another workspace's, messages.
  const victims = await Promise.all(["victim 1", "victim 2", "victim 3"].map((name) => makeKey(t, { name, mode: "test" })));
  const foreign = await makeKey(t, { name: "foreign" }, staging);
  const sent = await send({ key: keys.test.secret, body: { to: ["+447400123456"], message: "hi", sender_id: "Acme" } });
  const sentElsewhere = await send({
    key: keys["other-workspace"].secret,
    body: { to: ["+447400123456"], message: "hi", sender_id: "Acme" },
  });
  expect([sent.status, sentElsewhere.status]).toEqual([200, 200]);

  world = {
    doc: openApiDocument() as unknown as OpenApiDoc,
    knownIds: {
      id: [...victims.map((v) => v.key.id), foreign.key.id],
      message_id: [sent.body.messages[0].message_id, sentElsewhere.body.messages[0].message_id],
    },
    receiverUrls: [receiver.url, receiver.url.replace("/hook", "/other?x=1"), "http://127.0.0.1:9/closed"],
  };
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await teardownSms(env ?? {});
});

/** The error codes the OpenAPI document lists for `method template`. */
function documentedCodes(template: string, method: string): Set<string> {
  const op = world.doc.paths[template]?.[method.toLowerCase()];
  return new Set(JSON.stringify(op?.responses ?? {}).match(/(?<=`)[A-Z_]+(?=`)/g) ?? []);
}

function authHeaders(c: FuzzCase, body: string): [string, string][] {
  const key = keys[c.key];
  if (!key) return c.key === "garbage" ? [["x-api-key", c.garbageKey]] : [];
  const headers: [string, string][] = [["x-api-key", key.secret]];
  if (c.key !== "hmac" || c.signature === "missing") return headers;
  const path = new URL(c.url, "http://localhost").pathname;
  const now = Math.floor(Date.now() / 1000);
  const timestamp = String(c.signature === "stale" ? now - 3600 : now);
  const signature = c.signature === "garbage" ? "0".repeat(64) : signatureOf(key.signingSecret!, c.method, path, timestamp, body);
  return [...headers, ["x-timestamp", timestamp], ["x-signature", signature]];
}

/** Whether this case's request is authenticated: a valid key, and a valid signature for the HMAC key. */
const authenticated = (c: FuzzCase) => VALID_KEYS.has(c.key) && (c.key !== "hmac" || c.signature === "valid");

type Answer = { status: number; headers: Headers; text: string; template: string | null; answeredBy: string };

async function answer(request: RawRequest): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no complete answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([
      (async () => {
        const { response, routed } = await dispatch(request);
        // Reading the whole body: a stream that errors here is an answer cut short.
        const text = await response.text();
        return { status: response.status, headers: response.headers, text, ...routed };
      })(),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function check(c: FuzzCase, a: Answer): void {
  const where = `${c.method} ${c.url.slice(0, 200)} → ${a.status} ${a.text.slice(0, 300)}`;
  expect(a.status, where).toBeLessThan(500);
  expect(a.headers.get("x-request-id"), `no X-Request-Id: ${where}`).toMatch(/^req_[\w-]+$/);
  if (a.status >= 200 && a.status < 300) {
    const isPublic = a.template === "/openapi.json";
    expect(authenticated(c) || isPublic, `2xx without a valid key: ${where}`).toBe(true);
    tally.set(`${a.status}`, (tally.get(`${a.status}`) ?? 0) + 1);
    // The answer is the documented one: the operation's response schema.
    const method = c.method === "HEAD" ? "GET" : c.method;
    const op = OPERATIONS.find((o) => o.path === a.template && o.method === method);
    if (op && c.method !== "HEAD" && (op.responseType ?? "application/json") === "application/json") {
      const parsed = op.response.safeParse(JSON.parse(a.text));
      expect(
        parsed.success,
        `2xx not matching ${op.method} ${op.path}'s response schema: ${parsed.error?.message.slice(0, 300)} ${where}`,
      ).toBe(true);
    }
    return;
  }
  expect(a.status, `neither 2xx nor 4xx: ${where}`).toBeGreaterThanOrEqual(400);
  expect(a.headers.get("content-type"), where).toMatch(/^application\/json/);
  const body = c.method === "HEAD" ? null : (JSON.parse(a.text) as Record<string, unknown>);
  if (body) {
    expect(body, where).toMatchObject({ status: false, error_code: expect.any(String), description: expect.any(String) });
    expect((body.description as string).length, where).toBeGreaterThan(0);
  }
  const code = (body?.error_code as ApiErrorCode | undefined) ?? null;
  tally.set(`${a.status} ${code ?? "(HEAD)"}`, (tally.get(`${a.status} ${code ?? "(HEAD)"}`) ?? 0) + 1);
  if (!code) return;
  expect(API_ERRORS[code]?.status, `${code} is not in API_ERRORS at ${a.status}: ${where}`).toBe(a.status);
  // HEAD runs GET; methods are case-sensitive ("get" is not GET).
  const method = c.method === "HEAD" ? "GET" : c.method;
  const served =
    a.template && ["GET", "POST", "PUT", "PATCH", "DELETE"].includes(method) && world.doc.paths[a.template]?.[method.toLowerCase()];
  const allowed = !a.template ? new Set(["NOT_FOUND"]) : served ? documentedCodes(a.template, method) : null;
  if (a.answeredBy === "server.mjs" && code === "NOT_FOUND") return; // an undecodable path: no resource has that name
  if (!allowed) {
    expect(code, `a method ${a.template} does not serve: ${where}`).toBe("METHOD_NOT_ALLOWED");
    return;
  }
  expect(allowed.has(code), `${code} is not documented for ${c.method} ${a.template}: ${where}`).toBe(true);
}

function describeCase(c: FuzzCase): string {
  const body =
    c.body === undefined
      ? "(none)"
      : typeof c.body === "string"
        ? JSON.stringify(c.body.slice(0, 500))
        : `bytes ${Buffer.from(c.body).toString("hex").slice(0, 200)}`;
  return [
    `  ${c.method} ${c.url.slice(0, 500)}`,
    `  key: ${c.key}${c.key === "hmac" ? ` (signature ${c.signature})` : c.key === "garbage" ? ` ${JSON.stringify(c.garbageKey.slice(0, 100))}` : ""}; address ${c.address}`,
    `  headers: ${JSON.stringify(c.headers.map(([n, v]) => [n, v.slice(0, 100)]))}`,
    `  body (${typeof c.body === "string" ? c.body.length : (c.body?.byteLength ?? 0)}): ${body}`,
  ].join("\n");
}

describe("malformed requests to /api/v1", () => {
  it(`answers every one with the documented envelope, never a 5xx (${RUNS.toLocaleString("en")} cases)`, async () => {
    const operations = OPERATIONS.map((op) => caseArb(world, op.path, op.method));
    const anyCase = fc.oneof(
      ...operations.map((arbitrary) => ({ arbitrary, weight: 4 })),
      { arbitrary: caseArb(world, "/openapi.json", "GET"), weight: 1 },
      { arbitrary: strayCaseArb(), weight: 2 },
    );
    const started = performance.now();
    console.log(`malformed fuzz: ${RUNS} cases, FUZZ_SEED=${SEED}${PATH ? ` FUZZ_PATH=${PATH}` : ""}`);
    const result = await fc.check(
      fc.asyncProperty(anyCase, async (c) => {
        // A traversal that leaves /api/v1 ("/api/v1/keys/../..") is the portal's, not the API's.
        fc.pre(isApiTarget(c.url));
        const body = typeof c.body === "string" ? c.body : c.body ? Buffer.from(c.body).toString("latin1") : "";
        const request = rawRequest(c, [...authHeaders(c, body), ["x-portal-client-address", c.address]]);
        check(c, await answer(request));
      }),
      { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}) },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `malformed fuzz: ${result.numRuns} cases in ${seconds} s; answers: ${[...tally]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, n]) => `${k} ×${n}`)
        .join(", ")}`,
    );
    if (result.failed) {
      const c = result.counterexample![0];
      throw new Error(
        [
          `A malformed request broke the contract (seed ${result.seed}, case ${result.counterexamplePath}).`,
          `Replay it: FUZZ_SEED=${result.seed} FUZZ_PATH=${result.counterexamplePath} node_modules/.bin/vitest run lib/api/malformed.fuzz.test.ts`,
          describeCase(c),
          `  ${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)
            .split("\n")
            .slice(0, 6)
            .join("\n  ")}`,
        ].join("\n"),
      );
    }
  }, 600_000);
});
