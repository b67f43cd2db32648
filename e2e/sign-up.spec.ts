import { expect, test } from "@playwright/test";
import { seriousViolations } from "./helpers";

const password = "copper kettle orbit lantern";

test("a new organization signs up from the sign-in page and lands on the dashboard as its Owner", async ({ page }) => {
  const email = `founder-${Date.now().toString(36)}@northwind.test`;
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  expect(await seriousViolations(page)).toEqual([]);

  // A weak password is answered by the field, before anything is sent.
  await page.getByLabel("Name").fill("Dana Whitfield");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("password1234");
  await page.getByLabel("Organization").fill("Northwind Traders");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/too easy to guess/)).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  // Signed in, on the dashboard, as the new organization's Owner.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Dana Whitfield (Owner)" })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: /Northwind Traders/ })).toBeVisible();
  // The Owner sees the organization's settings, and the new main workspace is current.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Workspace settings" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "API keys" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Workspace", exact: true }).locator("option")).toHaveText(["Main (main)"]);
});

test("an email that has an account is refused without being named as taken", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Someone Else");
  await page.getByLabel("Email").fill("OWNER@acme.test");
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Organization").fill("Squatters");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(
    page.getByText("We could not create an account with these details. If you already have an account, sign in instead."),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
  expect(await seriousViolations(page)).toEqual([]);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `test-results/sign-up-${width}.png`, fullPage: true });
  }
});
