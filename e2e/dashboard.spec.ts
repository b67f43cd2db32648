import { expect, test } from "@playwright/test";
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

test.describe("a viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });
  test("sees the dashboard", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Test data" })).toBeVisible();
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
