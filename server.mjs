// The portal's HTTP server: Next.js behind a few lines that (1) decide the
// client's address from the socket and set it in a header that only this
// server can set, (1b) pass Next only origin-form request targets, (2) provide local secrets for the embedded default,
// (3) send Strict-Transport-Security when served over https, and (4) close
// the database cleanly on SIGTERM/SIGINT.
import { createServer } from "node:http";
import { getHeapStatistics } from "node:v8";
import nextEnv from "@next/env";
import next from "next";
import { CLIENT_ADDRESS_HEADER, decideClientAddress } from "./lib/server/client-address.mjs";
import { ensureLocalSecrets } from "./lib/server/local-secrets.mjs";
import { answerUnroutedApiRequest } from "./lib/server/unrouted-api.mjs";
import { HSTS, servedOverHttps } from "./lib/server/security-headers.mjs";
import { originFormTarget } from "./lib/server/request-target.mjs";

const dev = process.argv.includes("--dev");
nextEnv.loadEnvConfig(process.cwd(), dev);
try {
  ensureLocalSecrets();
} catch (error) {
  console.error(`Cannot start: ${error.message}`);
  process.exit(1);
}
process.env.AUTH_TRUST_HOST ??= "true";
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.NEXT_MANUAL_SIG_HANDLE = "true";

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const trustedHops = Number(process.env.TRUST_PROXY_HOPS ?? 0);

const app = next({ dev, hostname: host, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  // Only origin-form targets reach Next: an absolute-form one made it redirect to the host it named.
  const target = originFormTarget(req.url);
  if (target === null) {
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
    res.end("Bad request target\n");
    return;
  }
  req.url = target;
  delete req.headers[CLIENT_ADDRESS_HEADER];
  const address = decideClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
  const https = servedOverHttps({
    authUrl: process.env.AUTH_URL,
    trustedHops,
    forwardedProto: req.headers["x-forwarded-proto"],
  });
  // The other security headers come from next.config.ts.
  if (https) res.setHeader("Strict-Transport-Security", HSTS);
  if (answerUnroutedApiRequest(req, res)) return;
  handle(req, res);
});
server.keepAliveTimeout = 65_000;

server.listen(port, host, async () => {
  const url = `http://${host === "0.0.0.0" || host === "::" ? "localhost" : host}:${port}`;
  // The first request opens the database (migrations, and the demo seed on an empty one).
  const health = await fetch(`${url}/api/health`).catch((error) => ({ ok: false, status: String(error) }));
  if (!health.ok) {
    console.error(`The portal started but its database did not answer (${health.status}). See the log above.`);
    return;
  }
  const database = process.env.DATABASE_URL
    ? "Postgres (DATABASE_URL)"
    : `embedded PGlite in ${process.env.PGLITE_DATA_DIR ?? ".data/pglite"}`;
  // npm start / npm run serve set a heap budget (scripts/server-node-args.mjs); a bare `node server.mjs` has none.
  const heapMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  if (!dev && heapMb > 2048)
    console.warn(`  No heap budget (V8 limit ${heapMb} MB): start with npm start / npm run serve, or set --max-old-space-size.`);
  console.log(
    [
      "",
      `  Portal ready at ${url}  (database: ${database})`,
      `  Sign in as owner@acme.test, admin@acme.test, developer@acme.test, billing@acme.test or viewer@acme.test`,
      `  Password: ${process.env.DEMO_PASSWORD ? "the value of DEMO_PASSWORD" : "acme-demo-password"}`,
      "",
    ].join("\n"),
  );
});

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  console.log(`${signal}: closing`);
  server.close();
  server.closeIdleConnections?.();
  const timer = setTimeout(() => process.exit(1), 10_000);
  try {
    // Workers finish their current job; then the request log is flushed and the database closed.
    await (await globalThis.__jobs?.catch(() => null))?.stop();
    await (await globalThis.__apiRuntime?.catch(() => null))?.close();
    const database = await globalThis.__portalDb;
    await database?.close();
  } catch {
    // The database never opened; nothing to close.
  }
  clearTimeout(timer);
  process.exit(0);
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
