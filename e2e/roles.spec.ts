import { expect, test } from "@playwright/test";
import { storageStateOf } from "./helpers";

test.describe("a developer", () => {
  test.use({ storageState: storageStateOf("developer") });

  test("sees permissions beyond their role disabled, with the reason", async ({ page }) => {
    await page.goto("/settings/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    const payments = create.getByRole("checkbox", { name: "payments.read" });
    await expect(payments).toBeDisabled();
    await expect(payments).toHaveAccessibleDescription("Your role (Developer) does not include payments.read");
    await expect(create.getByRole("checkbox", { name: "sms.send" })).toBeEnabled();
    await expect(create.getByRole("radio", { name: "Full access" })).toBeDisabled();
    await expect(create.getByText("Only Owners and Admins can create full-access keys")).toBeVisible();
  });

  test("does not see keys beyond their role", async ({ page }) => {
    await page.goto("/settings/api-keys");
    // The seeded full-access "Production backend" key is beyond a Developer's ceiling.
    await expect(page.getByRole("row", { name: /Production backend/ })).toHaveCount(0);
    await expect(page.getByRole("row", { name: /CI smoke tests/ })).toHaveCount(1);
  });
});

test.describe("a viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });

  test("cannot reach the keys page", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: "API keys" })).toHaveCount(0);
    const response = await page.goto("/settings/api-keys");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "API keys" })).toHaveCount(0);
  });
});

test.describe("signed out", () => {
  test("a portal page redirects to sign-in", async ({ page }) => {
    await page.goto("/settings/api-keys");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });
});

test.describe("the workspace switcher", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("scopes the keys page to the chosen workspace", async ({ page }) => {
    await page.goto("/settings/api-keys");
    await expect(page.getByRole("row", { name: /Production backend/ })).toHaveCount(1);
    await page.getByLabel("Workspace").selectOption({ label: "Staging" });
    await expect(page.getByText("Keys for the Staging workspace.")).toBeVisible();
    await expect(page.getByRole("row", { name: /Production backend/ })).toHaveCount(0);
    await page.getByLabel("Workspace").selectOption({ label: "Main (main)" });
    await expect(page.getByText("Keys for the Main workspace.")).toBeVisible();
  });
});

test("signing out ends the session", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("viewer@acme.test");
  await page.getByLabel("Password").fill(process.env.DEMO_PASSWORD || "acme-demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});
