import { expect, test, type Page } from "@playwright/test";
import { seriousViolations, storageStateOf } from "./helpers";

/** The balance shown on the Billing page, as a number ("€1,234.50" → 1234.5). */
async function shownBalance(page: Page): Promise<number> {
  const text = await page.getByRole("region", { name: "Balance" }).locator("p").first().innerText();
  return Number(text.replace(/[^\d.-]/g, ""));
}

async function topUp(page: Page, amount: string) {
  await page.getByRole("button", { name: "Top up" }).click();
  const dialog = page.getByRole("dialog", { name: "Top up" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Amount").fill(amount);
  await dialog.getByRole("button", { name: "Add funds" }).click();
  await expect(dialog).toBeHidden();
}

test.describe("as the Owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("a top-up adds funds once, shows in Payments with the owner's name and raises the balance", async ({ page }) => {
    await page.goto("/billing");
    await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
    const before = await shownBalance(page);

    // Bad amounts are refused by the field, and nothing is added.
    await page.getByRole("button", { name: "Top up" }).click();
    const dialog = page.getByRole("dialog", { name: "Top up" });
    await dialog.getByLabel("Amount").fill("12.345");
    await dialog.getByRole("button", { name: "Add funds" }).click();
    await expect(dialog.getByText("Use at most 2 decimals")).toBeVisible();
    await expect(dialog.getByLabel("Amount")).toHaveAttribute("aria-invalid", "true");
    await dialog.getByLabel("Amount").fill("0");
    await expect(dialog.getByText("Enter an amount above 0")).toBeVisible();
    await dialog.getByLabel("Amount").fill("1000000");
    await expect(dialog.getByText("At most 100,000")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await dialog.getByLabel("Amount").fill("42.50");
    await dialog.getByRole("button", { name: "Add funds" }).click();
    await expect(dialog).toBeHidden();
    const expected = before + 42.5;
    await expect(page.getByRole("status").filter({ hasText: "Added €42.50" })).toBeVisible();
    await expect.poll(() => shownBalance(page)).toBeCloseTo(expected, 5);

    const payments = page.getByRole("table", { name: "Payments" });
    const newest = payments.getByRole("row").nth(1);
    await expect(newest).toContainText("Top-up in the portal");
    await expect(newest).toContainText("by Olivia Owner");
    await expect(newest).toContainText("+€42.50");
    await expect(newest).toContainText(/portal_P\d+/);

    // After a reload (the server's view), the same balance: added once.
    await page.reload();
    expect(await shownBalance(page)).toBeCloseTo(expected, 5);
  });

  test("the price list is searched by country or network, with the rate-change fields", async ({ page }) => {
    await page.goto("/billing");
    const prices = page.getByRole("table", { name: "Prices" });
    for (const name of ["Country", "Network", "Price per SMS", "Change", "Previous price", "Effective from"]) {
      await expect(prices.getByRole("columnheader", { name })).toBeVisible();
    }
    const search = page.getByRole("searchbox", { name: "Search prices" });

    await search.fill("Germany");
    const rows = prices.getByRole("row");
    await expect(rows.nth(1)).toContainText("Germany");
    const count = await rows.count();
    expect(count).toBeGreaterThan(1);
    for (let i = 1; i < count; i++) await expect(rows.nth(i)).toContainText("Germany");

    await search.fill("Vodafone");
    await expect(rows.nth(1)).toContainText("Vodafone");
    const vodafone = await rows.count();
    for (let i = 1; i < vodafone; i++) await expect(rows.nth(i)).toContainText("Vodafone");

    await search.fill("no such network anywhere");
    await expect(prices.getByText("No prices match")).toBeVisible();
  });

  test("the low balance alert is saved, warns on the page when the balance is at or below it, and can be cleared", async ({ page }) => {
    await page.goto("/billing");
    const field = page.getByLabel("Low balance alert");
    await field.fill("1.234");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Use at most 2 decimals")).toBeVisible();

    // Above the balance: the page warns.
    await field.fill("99999");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Low balance alert")).toHaveValue("99999.00");
    await expect(page.getByRole("alert").filter({ hasText: "The balance is low" })).toBeVisible();

    // Cleared: no alert, no warning.
    await page.getByLabel("Low balance alert").fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "no low balance alert" })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Low balance alert")).toHaveValue("");
    await expect(page.getByRole("alert").filter({ hasText: "The balance is low" })).toHaveCount(0);
  });

  test("the Billing page and the Top up dialog have no serious accessibility violations", async ({ page }) => {
    await page.goto("/billing");
    await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Top up" }).click();
    await expect(page.getByRole("dialog", { name: "Top up" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test.describe("as a Billing member", () => {
  test.use({ storageState: storageStateOf("billing") });

  test("tops up, and the entry carries their name", async ({ page }) => {
    await page.goto("/billing");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" })).toBeVisible();
    const before = await shownBalance(page);
    await topUp(page, "10");
    await expect.poll(() => shownBalance(page)).toBeCloseTo(before + 10, 5);
    const newest = page.getByRole("table", { name: "Payments" }).getByRole("row").nth(1);
    await expect(newest).toContainText("by Bill Billing");
    await expect(newest).toContainText("+€10.00");
    await expect(page.getByLabel("Low balance alert")).toBeEditable();
  });
});

test.describe("as an Admin", () => {
  test.use({ storageState: storageStateOf("admin") });

  test("sees the page and may set the alert, but has no Top up", async ({ page }) => {
    await page.goto("/billing");
    await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
    await expect(page.getByRole("table", { name: "Payments" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Top up" })).toHaveCount(0);
    await expect(page.getByLabel("Low balance alert")).toBeEditable();
  });
});

test.describe("as a Viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });

  test("sees the page read-only: balance, payments and prices, nothing to change", async ({ page }) => {
    await page.goto("/billing");
    await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
    await expect(page.getByRole("table", { name: "Payments" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Prices" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Top up" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
    await expect(page.getByRole("textbox", { name: "Low balance alert" })).toHaveCount(0);
    await expect(page.getByText("Low balance alert")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test.describe("as a Developer", () => {
  test.use({ storageState: storageStateOf("developer") });

  test("gets not found, and no Billing link", async ({ page }) => {
    const response = await page.goto("/billing");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toHaveCount(0);
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" })).toHaveCount(0);
  });
});
