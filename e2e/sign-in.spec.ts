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
