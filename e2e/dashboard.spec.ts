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
      await context.close();
    }
  });
});

test.describe("a viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });
  test("sees the dashboard", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Test data" })).toBeVisible();
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
    expect(await seriousViolations(page)).toEqual([]);
  });
});
