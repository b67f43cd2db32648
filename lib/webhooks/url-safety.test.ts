/**
 * SSRF guard for webhook URLs: only public unicast addresses, whether written
 * literally or reached through a name, checked before saving and again at
 * connect time; WEBHOOKS_ALLOW_PRIVATE=true lifts it for local development.
 */
import { request } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "@/tests/webhook-receiver";
import { deliverOnce } from "./deliver";
import { addressRefusal, assertPublicUrl, safeLookup, UnsafeUrlError } from "./url-safety";

/** Anything that looks like an IPv4 or IPv6 address. */
const IP_LIKE = /\d+\.\d+\.\d+\.\d+|[0-9a-f]*:[0-9a-f]*:/i;

let saved: string | undefined;
beforeEach(() => {
  saved = process.env.WEBHOOKS_ALLOW_PRIVATE;
  delete process.env.WEBHOOKS_ALLOW_PRIVATE;
});
afterEach(() => {
  if (saved === undefined) delete process.env.WEBHOOKS_ALLOW_PRIVATE;
  else process.env.WEBHOOKS_ALLOW_PRIVATE = saved;
});

describe("addressRefusal", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["224.0.0.1", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["192.0.2.1", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fd00::1", "unique-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "link-local"],
    ["64:ff9b::a00:1", "rfc6052"],
    ["2002:a00:1::1", "6to4"],
    ["::7f00:1", "IPv4-compatible"],
    ["2001:db8::1", "reserved"],
  ])("refuses %s (%s)", (address, kind) => {
    expect(addressRefusal(address)).toContain(kind);
  });

  it.each(["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"])(
    "allows the public address %s",
    (address) => {
      expect(addressRefusal(address)).toBeNull();
    },
  );
});

describe("assertPublicUrl", () => {
  it.each([
    "http://127.0.0.1/",
    "http://10.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/", // 127.0.0.1 in decimal
    "http://0x7f.1/", // 127.0.0.1 in hex shorthand
    "http://0/",
    "http://localhost/",
    "https://localhost:8443/hook",
  ])("refuses %s", async (url) => {
    await expect(assertPublicUrl(url)).rejects.toBeInstanceOf(UnsafeUrlError);
  });

  it.each(["ftp://example.com/", "javascript:alert(1)", "file:///etc/passwd", "not a url", "http://"])(
    "refuses %s as not an http(s) URL",
    async (url) => {
      await expect(assertPublicUrl(url)).rejects.toBeInstanceOf(UnsafeUrlError);
    },
  );

  it("refuses a name that resolves to a private address without echoing the address (internal DNS stays internal)", async () => {
    const error = await assertPublicUrl("http://localhost/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect((error as Error).message).toBe("refused: localhost resolves to a private, loopback or otherwise non-public address");
    expect((error as Error).message).not.toMatch(IP_LIKE);
  });

  it("accepts public literal addresses without any lookup", async () => {
    await expect(assertPublicUrl("https://93.184.215.14/hook")).resolves.toBeUndefined();
    await expect(assertPublicUrl("http://[2606:4700:4700::1111]:8080/x")).resolves.toBeUndefined();
  });

  it("allows private addresses only when WEBHOOKS_ALLOW_PRIVATE=true, and still only http(s)", async () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
    await expect(assertPublicUrl("http://127.0.0.1:3000/hook")).resolves.toBeUndefined();
    await expect(assertPublicUrl("http://localhost/")).resolves.toBeUndefined();
    await expect(assertPublicUrl("ftp://127.0.0.1/")).rejects.toBeInstanceOf(UnsafeUrlError);
    process.env.WEBHOOKS_ALLOW_PRIVATE = "1";
    await expect(assertPublicUrl("http://127.0.0.1/")).rejects.toBeInstanceOf(UnsafeUrlError);
  });
});

describe("at connect time (DNS rebinding)", () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it("safeLookup fails a connection to a name that resolves to a private address, before any byte is sent", async () => {
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = request({ host: "localhost", port: receiver.port, path: "/", lookup: safeLookup }, () => reject(new Error("connected")));
      req.on("error", resolve);
      req.end();
    });
    expect(error.code).toBe("EUNSAFEADDRESS");
    expect(error.message).toMatch(/localhost resolves to a private, loopback or otherwise non-public address/);
    expect(error.message).not.toMatch(IP_LIKE);
    expect(receiver.requests).toHaveLength(0);
  });

  it("deliverOnce refuses a private name at connect time and a private literal before connecting", async () => {
    const byName = await deliverOnce({ url: `http://localhost:${receiver.port}/hook`, body: "{}" });
    expect(byName).toMatchObject({ success: false, responseStatus: null, error: expect.stringMatching(/localhost resolves to/) });
    // The error lands in the customer's webhook log: no internal address in it.
    expect(byName.error).not.toMatch(IP_LIKE);
    const literal = await deliverOnce({ url: receiver.url, body: "{}" });
    expect(literal).toMatchObject({
      success: false,
      responseStatus: null,
      error: expect.stringMatching(/127\.0\.0\.1 is a loopback address/),
    });
    expect(receiver.requests).toHaveLength(0);
  });

  it("deliverOnce connects to a local receiver when WEBHOOKS_ALLOW_PRIVATE=true", async () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
    const result = await deliverOnce({ url: `http://localhost:${receiver.port}/hook`, body: "{}" });
    expect(result).toMatchObject({ success: true, responseStatus: 200, error: null });
    expect(receiver.requests).toHaveLength(1);
  });
});
