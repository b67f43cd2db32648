/**
 * POST /user/webhooks/test answers within the receiver timeout (5 s, api-v1.md
 * §5) plus a margin, whatever the receiver does: accept the connection and
 * never answer, trickle its answer a byte at a time, or have a name whose DNS
 * lookup never returns (simulated: node:dns is replaced for names under
 * .dns-hangs.test, the rest resolves as usual).
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as testRoute from "@/app/api/v1/user/webhooks/test/route";
import { WEBHOOK_TIMEOUT_MS } from "@/lib/webhooks/deliver";
import { updateWebhookSettings } from "@/lib/webhooks/settings";
import { contextFor } from "@/lib/workspaces/context";
import { callApi, makeKey, randomAddress, setupApi, teardownApi } from "@/tests/api";
import type { TestDatabase } from "@/tests/db";
import type { ApiRuntime } from "./runtime";

vi.mock("node:dns", async (importOriginal) => {
  const dns = await importOriginal<typeof import("node:dns")>();
  const lookup = (hostname: string, ...rest: unknown[]) => {
    if (hostname.endsWith(".dns-hangs.test")) return; // never calls back
    return (dns.lookup as (...args: unknown[]) => void)(hostname, ...rest);
  };
  return { ...dns, default: { ...dns, lookup }, lookup };
});

// What the endpoint may take beyond the receiver timeout: its own database reads and writes.
const MARGIN_MS = 1500;

let t: TestDatabase;
let runtime: ApiRuntime;
let admin: string;
const servers: Server[] = [];
const sockets = new Set<Socket>();

/** A TCP server on 127.0.0.1 that runs `onConnection` for each client and never closes one itself. */
async function tcpReceiver(onConnection: (socket: Socket) => void): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

beforeAll(async () => {
  ({ t, runtime } = await setupApi());
  admin = (await makeKey(t, { name: "webhooks admin", permissions: ["*"] })).secret;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await teardownApi({ t, runtime });
});

async function setUrls(urls: Partial<Record<"delivery" | "click" | "impression" | "conversion", string>>) {
  const ctx = await contextFor(t.db, t.seed.userIds.owner, t.seed.mainWorkspaceId);
  await updateWebhookSettings(t.db, ctx, "live", { urls });
}

async function timedTest(event: string) {
  const started = Date.now();
  const res = await callApi(testRoute.POST, {
    method: "POST",
    path: "/api/v1/user/webhooks/test",
    key: admin,
    body: { event },
    address: randomAddress(),
  });
  return { res, elapsed: Date.now() - started };
}

describe("POST /user/webhooks/test against a receiver that stalls", () => {
  it("answers within 5 s (plus margin) when the receiver never answers, or trickles its answer", async () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
    try {
      const silent = await tcpReceiver(() => {});
      const trickle = await tcpReceiver((socket) => {
        socket.write("HTTP/1.1 200 OK\r\nX-Slow: ");
        const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write("a")), 100);
        socket.on("close", () => clearInterval(timer));
      });
      const trickleBody = await tcpReceiver((socket) => {
        socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write("1\r\na\r\n")), 100);
        socket.on("close", () => clearInterval(timer));
      });
      await setUrls({ delivery: silent, click: trickle, impression: trickleBody });
      const results = await Promise.all([timedTest("delivery"), timedTest("click"), timedTest("impression")]);
      for (const { res, elapsed } of results) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: true, success: false, response_status: null, error: "timed out after 5 s" });
        expect(elapsed).toBeLessThan(WEBHOOK_TIMEOUT_MS + MARGIN_MS);
      }
    } finally {
      delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    }
  }, 20_000);

  it("answers within 5 s (plus margin) when the receiver's name never resolves", async () => {
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    await setUrls({ conversion: "http://hooks.dns-hangs.test/hook" });
    const { res, elapsed } = await timedTest("conversion");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: true, success: false, response_status: null, error: "timed out after 5 s" });
    expect(elapsed).toBeLessThan(WEBHOOK_TIMEOUT_MS + MARGIN_MS);
  }, 20_000);
});
