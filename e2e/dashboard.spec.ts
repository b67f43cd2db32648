import { expect, test, type Page } from "@playwright/test";
import { seriousViolations, storageStateOf, uniqueName } from "./helpers";

test.describe("an owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("sees the dashboard; a test send shows with Test data on and not with it off; axe clean", async ({ page }) => {
    await page.goto("/settings/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Name", { exact: true }).fill(uniqueName("E2E dashboard"));
    await create.getByLabel("Test mode").check();
    await create.getByRole("radio", { name: "Full access" }).check();
    await create.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByRole("dialog", { name: "Your new API key" });
    const secret = await shown.getByLabel("API key").inputValue();
    await shown.getByLabel("I have saved this key").check();
    await shown.getByRole("button", { name: "Done" }).click();

    const recipient = "+15005550009";
    const sent = await page.request.post("/api/v1/sms/send", {
      headers: { "X-API-Key": secret },
      data: { to: [recipient], message: "E2E dashboard", sender_id: "Acme" },
    });
    expect(sent.status()).toBe(200);

    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    const testData = page.getByRole("switch", { name: "Test data" });
    await expect(testData).not.toBeChecked();
    await expect(page.getByRole("link", { name: recipient })).toHaveCount(0);
    await testData.click();
    await expect(testData).toBeChecked();
    await expect(page.getByRole("link", { name: recipient }).first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await testData.click();
    await expect(testData).not.toBeChecked();
    await expect(page.getByRole("link", { name: recipient })).toHaveCount(0);
  });
});

/** Creates a restricted test key expiring at 00:00 UTC in `days` days; returns its name. */
async function createExpiringKey(page: Page, label: string, permission: string, days: number) {
  const name = uniqueName(label);
  const on = new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name", { exact: true }).fill(name);
  await create.getByLabel("Test mode").check();
  await create.getByRole("checkbox", { name: permission }).check();
  await create.getByLabel("Expires").selectOption("custom");
  await create.getByLabel("Expiry date").fill(on);
  await create.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  await shown.getByLabel("I have saved this key").check();
  await shown.getByRole("button", { name: "Done" }).click();
  return name;
}

test.describe("keys expiring within 7 days", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("each member sees only the keys within their ceiling, with the days left, linking to the key's page", async ({ page, browser }) => {
    const traffic = await createExpiringKey(page, "E2E expiring sms", "sms.read", 3);
    const money = await createExpiringKey(page, "E2E expiring balance", "balance.read", 3);

    await page.goto("/");
    const panel = page.getByRole("list", { name: "Keys expiring within 7 days" });
    const item = panel.getByRole("listitem").filter({ has: page.getByRole("link", { name: traffic, exact: true }) });
    await expect(item).toContainText("3 days left");
    await expect(panel.getByRole("link", { name: money, exact: true })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await item.getByRole("link", { name: traffic, exact: true }).click();
    await expect(page.getByRole("heading", { name: traffic, level: 1 })).toBeVisible();

    for (const [who, sees, hidden] of [
      ["developer", traffic, money],
      ["billing", money, traffic],
    ] as const) {
      const context = await browser.newContext({ storageState: storageStateOf(who) });
      const other = await context.newPage();
      await other.goto("/");
      const list = other.getByRole("list", { name: "Keys expiring within 7 days" });
      await expect(list.getByRole("link", { name: sees, exact: true }), who).toBeVisible();
      await expect(list.getByRole("link", { name: hidden, exact: true }), who).toHaveCount(0);
      // A Developer sends test messages only; a Billing member does not send at all.
      await expect(other.getByRole("radio", { name: "Live" })).toHaveCount(0);
      await expect(other.getByRole("heading", { name: "Send a test message" })).toHaveCount(who === "developer" ? 1 : 0);
      await context.close();
    }
  });
});

test.describe("send a test message", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("the preview names the curly quote forcing UCS-2; the GSM-7 version costs fewer segments; a test send shows in Messages under Test data", async ({
    page,
  }) => {
    const recipient = "+447700900777";
    await page.goto("/");
    const composer = page.getByRole("form", { name: "Send a test message" });
    await expect(composer.getByRole("radio", { name: "Test" })).toBeChecked();
    await composer.getByLabel("Recipients").fill(recipient);
    await composer.getByLabel("Message").fill("Don\u2019t miss our winter sale: every plan is 20% off until Sunday. See you there!");
    const preview = page.getByRole("region", { name: "Preview" });
    await expect(preview).toContainText("UCS-2 · 2 segments");
    await expect(preview.getByRole("list", { name: "Characters forcing UCS-2" })).toContainText("\u2019 U+2019 at position 4");
    const ucs2Cost = await preview.getByRole("cell").last().innerText();
    expect(await seriousViolations(page)).toEqual([]);

    await preview.getByRole("button", { name: "Use GSM-7 version" }).click();
    await expect(composer.getByLabel("Message")).toHaveValue(
      "Don't miss our winter sale: every plan is 20% off until Sunday. See you there!",
    );
    await expect(preview).toContainText("GSM-7 · 1 segment ·");
    await expect(preview.getByRole("list", { name: "Characters forcing UCS-2" })).toHaveCount(0);
    const gsmCost = await preview.getByRole("cell").last().innerText();
    // The cost cell: the amount, then "N segments, encoding" below it.
    const amount = (cell: string) => Number(cell.split("\n")[0].replace(/[^0-9.]/g, ""));
    expect(amount(gsmCost)).toBeLessThan(amount(ucs2Cost));

    await composer.getByRole("button", { name: "Send test message" }).click();
    await expect(composer.getByRole("status")).toContainText("Sent in test mode: 1 recipient accepted");

    await page.goto("/messages");
    const testData = page.getByRole("switch", { name: "Test data" });
    if (!(await testData.isChecked())) await testData.click();
    await expect(testData).toBeChecked();
    await expect(page.getByRole("link", { name: recipient }).first()).toBeVisible();
    // Its page says where it was sent from (a portal send has no key).
    await page.getByRole("link", { name: recipient }).first().click();
    await expect(page.getByText("Send a test message (portal)")).toBeVisible();
    await page.goto("/messages");
    await testData.click();
    await expect(page.getByRole("link", { name: recipient })).toHaveCount(0);
  });
});

test.describe("a viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });
  test("sees the dashboard", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Test data" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Send a test message" })).toHaveCount(0);
    // A Viewer cannot open the keys page, so the Dashboard lists no keys either.
    await expect(page.getByRole("heading", { name: "Keys expiring within 7 days" })).toHaveCount(0);
  });
});

test.describe("a billing member", () => {
  test.use({ storageState: storageStateOf("billing") });
  test("sees the balance on the dashboard but no traffic", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Balance" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Recent messages" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Send a test message" })).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
