import { expect, test, type Page } from "@playwright/test";
import { startReceiver, type Receiver } from "../tests/webhook-receiver";
import { filterKeys, seriousViolations, storageStateOf, uniqueName } from "./helpers";

// The UI server runs with WEBHOOKS_ALLOW_PRIVATE=true, so a receiver on this machine is a valid Delivery URL.
let receiver: Receiver;
let failing: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver(() => 202);
  failing = await startReceiver(() => 500);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), failing?.close()]);
});

test.describe("an owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("sets the URLs and fields, sets then clears the signing secret, sends a test and finds it in the Delivery log", async ({ page }) => {
    await page.goto("/webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

    // URLs and fields, saved and still there after a reload.
    await page.getByLabel("Delivery URL").fill(receiver.url);
    await page.getByLabel("Click URL").fill("https://hooks.example.com/click");
    await page.getByRole("checkbox", { name: /^workspace_id/ }).check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Delivery URL")).toHaveValue(receiver.url);
    await expect(page.getByLabel("Click URL")).toHaveValue("https://hooks.example.com/click");
    await expect(page.getByRole("checkbox", { name: /^workspace_id/ })).toBeChecked();

    // Bad input: a message by the field, nothing saved.
    await page.getByLabel("Click URL").fill("ftp://hooks.example.com/click");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Click URL: must be an http or https URL")).toBeVisible();
    await expect(page.getByLabel("Click URL")).toHaveAttribute("aria-invalid", "true");
    await page.reload();
    await expect(page.getByLabel("Click URL")).toHaveValue("https://hooks.example.com/click");

    // The signing secret: write-only, a password field, never shown back; then cleared.
    const secret = `whsec-e2e-${Date.now().toString(36)}`;
    const secretField = page.getByLabel("Signing secret");
    await expect(secretField).toHaveAttribute("type", "password");
    await expect(page.getByText("No signing secret is set")).toBeVisible();
    await secretField.fill(secret);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await expect(page.getByText("A signing secret is set")).toBeVisible();
    await expect(secretField).toHaveValue("");
    await page.reload();
    await expect(page.getByText("A signing secret is set")).toBeVisible();
    await expect(page.getByText(/since \d{2} \w{3} \d{4}/)).toBeVisible();
    expect(await page.content()).not.toContain(secret);

    // A test event now goes out signed; the receiver's answer is shown.
    await page.getByRole("button", { name: "Send test" }).click();
    const answer = page.getByRole("region", { name: "Receiver's answer" });
    await expect(answer).toContainText("HTTP 202");
    await expect(answer).toContainText("Succeeded");
    await expect(answer).toContainText("ok");
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].headers["x-webhook-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    const sample = JSON.parse(receiver.requests[0].body) as { message_id: string; workspace_id: number };
    expect(sample.workspace_id).toEqual(expect.any(Number));

    // The attempt is in the Delivery log (the page refreshed after the send).
    const log = page.getByRole("table", { name: "Delivery log" });
    const row = log.getByRole("row").filter({ hasText: sample.message_id });
    await expect(row).toBeVisible();
    await expect(row).toContainText("Succeeded");
    await expect(row).toContainText("202");
    await expect(row).toContainText("Test");

    await page.getByRole("button", { name: "Clear signing secret" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Signing secret cleared" })).toBeVisible();
    await expect(page.getByText("No signing secret is set")).toBeVisible();
    await expect(page.getByRole("button", { name: "Clear signing secret" })).toHaveCount(0);
    await page.reload();
    await expect(page.getByText("No signing secret is set")).toBeVisible();

    // Unsigned from now on.
    await page.getByRole("button", { name: "Send test" }).click();
    await expect(page.getByRole("region", { name: "Receiver's answer" })).toContainText("HTTP 202");
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1].headers["x-webhook-signature"]).toBeUndefined();

    expect(await seriousViolations(page)).toEqual([]);
    // On a phone too (the log's table must fit, or be reachable by keyboard).
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByRole("table", { name: "Delivery log" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("a failing receiver's answer is shown, and the log filters by status", async ({ page }) => {
    await page.goto("/webhooks");
    await page.getByLabel("Delivery URL").fill(failing.url);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await page.getByRole("button", { name: "Send test" }).click();
    const answer = page.getByRole("region", { name: "Receiver's answer" });
    await expect(answer).toContainText("HTTP 500");
    await expect(answer).toContainText("Failed");
    const sample = JSON.parse(failing.requests[0].body) as { message_id: string };

    await page.goto("/webhooks?status=failed&period=24h");
    await expect(page.getByLabel("Status", { exact: true })).toHaveValue("failed");
    const log = page.getByRole("table", { name: "Delivery log" });
    await expect(log.getByRole("row").filter({ hasText: sample.message_id })).toContainText("Not retried (test)");
    await expect(log.getByText("Succeeded", { exact: true })).toHaveCount(0);

    await page.getByLabel("Status", { exact: true }).selectOption("succeeded");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/status=succeeded/);
    await expect(log.getByRole("row").filter({ hasText: sample.message_id })).toHaveCount(0);

    await page.goto("/webhooks?status=bogus");
    await expect(page.getByText("Choose a listed status")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

/** With SCREENSHOTS=1: the page at 1280 and 390 px, for a person to look at. */
async function screenshots(page: Page, name: string) {
  if (!process.env.SCREENSHOTS) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test.describe("an owner choosing events", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("subscribes to key.revoked, revokes a key and finds the signed key.revoked event in the Delivery log", async ({ page }) => {
    await page.goto("/webhooks");
    const events = page.getByRole("group", { name: "Events", exact: true });
    // A workspace that never chose gets the message events only.
    await expect(events.getByRole("checkbox", { name: /^delivery/ })).toBeChecked();
    await expect(events.getByRole("checkbox", { name: /^key\.revoked/ })).not.toBeChecked();
    await page.getByLabel("Delivery URL").fill(receiver.url);
    await events.getByRole("checkbox", { name: /^key\.revoked/ }).check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("checkbox", { name: /^key\.revoked/ })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: /^balance\.low/ })).not.toBeChecked();

    // A key made and revoked on the keys page.
    const name = uniqueName("E2E revoked for events");
    await page.goto("/settings/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Name", { exact: true }).fill(name);
    await create.getByRole("radio", { name: "Restricted" }).check();
    await create.getByRole("checkbox", { name: "sms.read" }).check();
    await create.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByRole("dialog", { name: "Your new API key" });
    const secret = await shown.getByLabel("API key").inputValue();
    await shown.getByLabel("I have saved this key").check();
    await shown.getByRole("button", { name: "Done" }).click();
    await filterKeys(page, name);
    await page.getByRole("button", { name: `Actions for ${name}` }).click();
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    await page
      .getByRole("dialog", { name: `Revoke ${name}?` })
      .getByRole("button", { name: "Revoke key" })
      .click();
    await expect(page.getByRole("row", { name: new RegExp(name) }).getByText("Revoked")).toBeVisible();

    // The receiver gets it, signed, naming the key but never its secret.
    await expect.poll(() => receiver.requests.filter((r) => r.body.includes(name)).length, { timeout: 20_000 }).toBe(1);
    const request = receiver.requests.find((r) => r.body.includes(name))!;
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({ event: "key.revoked", key_name: name, mode: "live", revoked_with: null });
    expect(request.body).not.toContain(secret);
    expect(request.headers["x-webhook-timestamp"]).toMatch(/^\d+$/);

    // The Delivery log shows it with its type, and filters by it.
    // (The attempt is logged just after the receiver answers: load the page until it is there.)
    const log = page.getByRole("table", { name: "Delivery log" });
    const row = log.getByRole("row").filter({ hasText: String(body.key_id) });
    await expect(async () => {
      await page.goto("/webhooks?event=key.revoked&period=24h");
      await expect(row).toContainText("Succeeded", { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByLabel("Event", { exact: true })).toHaveValue("key.revoked");
    await expect(row).toContainText("key.revoked");
    await expect(log.getByRole("cell", { name: "Delivery", exact: true })).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, "webhooks-events");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test.describe("a viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });

  test("sees the settings and the Delivery log, and nothing to change them with", async ({ page }) => {
    await page.goto("/webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await expect(page.getByRole("table", { name: "Delivery log" })).toBeVisible();
    await expect(page.getByText(/signing secret is set/i)).toBeVisible();
    for (const name of ["Save", "Send test", "Clear signing secret"]) {
      await expect(page.getByRole("button", { name })).toHaveCount(0);
    }
    await expect(page.getByRole("textbox", { name: "Delivery URL" })).toHaveCount(0);
    await expect(page.getByLabel("Signing secret")).toHaveCount(0);
    await expect(page.getByRole("checkbox")).toHaveCount(0);
    await expect(page.getByText("Events", { exact: true })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test.describe("a developer", () => {
  test.use({ storageState: storageStateOf("developer") });

  test("may change the settings and send a test", async ({ page }) => {
    await page.goto("/webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Delivery URL" })).toBeEditable();
    await expect(page.getByLabel("Signing secret")).toBeEditable();
    await expect(page.getByRole("button", { name: "Save" })).toBeEnabled();
    await expect(page.getByRole("button", { name: "Send test" })).toBeEnabled();
  });
});

test.describe("a billing member", () => {
  test.use({ storageState: storageStateOf("billing") });

  test("gets not found", async ({ page }) => {
    const response = await page.goto("/webhooks");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  });
});
