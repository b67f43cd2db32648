import { expect, test as setup } from "@playwright/test";
import { USERS, signIn, storageStateOf } from "./helpers";

// Signs each role in once; the UI specs reuse the sessions (storageState).
for (const [who, email] of Object.entries(USERS) as [keyof typeof USERS, string][]) {
  setup(`sign in as ${who}`, async ({ page }) => {
    await signIn(page, email);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.context().storageState({ path: storageStateOf(who) });
  });
}
