import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { filterKeys, signIn, storageStateOf, uniqueName, USERS } from "./helpers";

/**
 * The security headers of every kind of response (set by next.config.ts on the
 * built server), and the portal working under its Content-Security-Policy:
 * every violation the browser reports (`securitypolicyviolation` events, on
 * every document of the page, and console errors) fails the test.
 */

const EXPECTED = {
  "content-security-policy": expect.stringContaining("frame-ancestors 'none'"),
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

async function headersOf(request: APIRequestContext, path: string, expectedStatus: number) {
  const response = await request.get(path, { maxRedirects: 0 });
  expect(response.status(), path).toBe(expectedStatus);
  return response.headers();
}

/** Collects what the browser reports about the CSP, across navigations. */
async function watchCsp(page: Page): Promise<() => string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__cspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __cspViolation: (text: string) => void }).__cspViolation;
      void report(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });
  return () => violations;
}

test.describe("headers", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("a page, the sign-in page, an API answer, an API error, a 404 API answer and a 404 page carry the security headers", async ({
    request,
    playwright,
    baseURL,
  }) => {
    const signedOut = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    try {
      const answers = [
        await headersOf(request, "/settings/api-keys", 200),
        await headersOf(signedOut, "/sign-in", 200),
        await headersOf(request, "/api/v1/openapi.json", 200),
        await headersOf(request, "/api/v1/user/balance", 401),
        await headersOf(request, "/api/v1/no/such/endpoint", 404),
        await headersOf(request, "/no-such-page", 404),
      ];
      for (const headers of answers) {
        expect(headers).toMatchObject(EXPECTED);
        expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
        // Served over plain http without AUTH_URL=https or a trusted proxy: no HSTS.
        expect(headers["strict-transport-security"]).toBeUndefined();
      }
      // A client's own X-Forwarded-Proto is not believed without a trusted proxy (TRUST_PROXY_HOPS=0).
      const forged = await request.get("/api/v1/openapi.json", { headers: { "X-Forwarded-Proto": "https" } });
      expect(forged.headers()["strict-transport-security"]).toBeUndefined();
    } finally {
      await signedOut.dispose();
    }
  });

  test("the policy is enforced: a script from another origin is refused, and the watcher sees it", async ({ page }) => {
    const violations = await watchCsp(page);
    await page.goto("/settings/api-keys");
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.src = "https://cdn.example.invalid/tracker.js";
      document.head.append(script);
    });
    await expect.poll(() => violations().join("\n")).toMatch(/script-src(-elem)? blocked https:\/\/cdn\.example\.invalid/);
  });
});

test.describe("under the Content-Security-Policy", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("the API reference renders Swagger UI, opens an operation and the Authorize dialog, with no violation", async ({ page }) => {
    const violations = await watchCsp(page);
    await page.goto("/api-reference");
    await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
    await expect(page.getByText("/user/balance").first()).toBeVisible({ timeout: 30_000 });
    await page.getByText("/sms/send", { exact: true }).first().click();
    await expect(page.locator(".opblock.is-open")).toHaveCount(1);
    await page.getByRole("button", { name: /Authorize/ }).click();
    await expect(page.getByRole("heading", { name: "Available authorizations" })).toBeVisible();
    expect(violations()).toEqual([]);
  });

  test("the keys page creates a key, shows its secret once and opens its own page with its chart, with no violation", async ({ page }) => {
    const violations = await watchCsp(page);
    const name = uniqueName("CSP key");
    await page.goto("/settings/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Name", { exact: true }).fill(name);
    await create.getByRole("radio", { name: "Restricted" }).check();
    await create.getByRole("checkbox", { name: "sms.read" }).check();
    await create.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByRole("dialog", { name: "Your new API key" });
    await expect(shown.getByLabel("API key")).toHaveValue(/^sk_prod_/);
    await shown.getByLabel("I have saved this key").check();
    await shown.getByRole("button", { name: "Done" }).click();
    await filterKeys(page, name);
    await page
      .getByRole("row", { name: new RegExp(name) })
      .getByRole("link", { name })
      .click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.getByRole("region", { name: "Requests" })).toBeVisible();
    expect(violations()).toEqual([]);
  });
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page signs in, with no violation", async ({ page }) => {
    const violations = await watchCsp(page);
    await signIn(page, USERS.viewer);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    expect(violations()).toEqual([]);
  });
});

/** Sends one request with a raw request target (fetch and Playwright always send origin-form) and returns the status line and headers. */
async function rawRequest(baseURL: string, target: string): Promise<{ status: number; headers: string }> {
  const { connect } = await import("node:net");
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => (received += chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const head = received.split("\r\n\r\n")[0];
      resolve({ status: Number(head.split(" ")[1]), headers: head.toLowerCase() });
    });
  });
}

test.describe("request targets", () => {
  test("no absolute-form or //host target makes the portal redirect to another host (no open redirect)", async ({ baseURL }) => {
    for (const target of [
      "http://evil.example/",
      "http://evil.example/settings/api-keys",
      "http://evil.example/sign-in?callbackUrl=%2F",
      "//evil.example/",
      "//evil.example/settings/api-keys/",
    ]) {
      const { status, headers } = await rawRequest(baseURL!, target);
      expect(status, target).toBeGreaterThanOrEqual(200);
      // A Location naming that host, absolute or protocol-relative ("/evil.example" is a path here, harmless).
      expect(headers, target).not.toMatch(/^location:\s*(https?:)?\/\/[^/]*evil\.example/m);
    }
    // What no page can answer is refused outright.
    expect((await rawRequest(baseURL!, "*")).status).toBe(400);
  });
});
