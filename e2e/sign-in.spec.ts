import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("a wrong password is refused with a clear message", async ({ page }) => {
  await signIn(page, "owner@acme.test", "not-the-password");
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an email is locked out after five failed sign-ins, with the time to wait", async ({ page }) => {
  const email = `locked-${Date.now()}@acme.test`;
  for (let attempt = 0; attempt < 5; attempt++) {
    await signIn(page, email, "wrong-password");
    await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  }
  await signIn(page, email, "wrong-password");
  await expect(page.getByText(/Too many failed sign-in attempts\. Try again in \d+ minutes?\./)).toBeVisible();
});

test("a copied session cookie opens no page once its session has signed out", async ({ page, browser }) => {
  await signIn(page, "admin@acme.test");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const session = (await page.context().cookies()).find((c) => c.name === "authjs.session-token");
  expect(session).toBeDefined();

  // Another browser holding a copy of the cookie is signed in too…
  const other = await browser.newContext();
  await other.addCookies([session!]);
  const copy = await other.newPage();
  await copy.goto("/settings/api-keys");
  await expect(copy.getByRole("heading", { name: "API keys" })).toBeVisible();

  // …until the session signs out in the first.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await copy.goto("/settings/api-keys");
  await expect(copy).toHaveURL(/\/sign-in/);
  await expect(copy.getByRole("button", { name: "Sign in" })).toBeVisible();
  await other.close();
});
