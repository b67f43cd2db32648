import { expect, test, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { DEMO_PASSWORD, seriousViolations, signIn, storageStateOf } from "./helpers";

// Two-factor sign-in end to end, as a member does it: turn it on from "Your account" with the secret shown
// there (codes computed here as an authenticator app would), sign out, sign in with a code, then with a
// recovery code; turned off at the end so other specs sign this person in with a password alone.
const EMAIL = "developer@acme.test";

/** The code an authenticator app shows `offset` ms from now. */
const codeOf = (secret: string, offset = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: Date.now() + offset });

async function screenshots(page: Page, name: string) {
  if (!process.env.SCREENSHOTS) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

test("two-factor sign-in: turn on, sign in with a code, sign in with a recovery code, turn off", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, EMAIL);
    await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

    // The header's name leads to the account page.
    await page.getByRole("link", { name: /Dana Developer/ }).click();
    await expect(page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, "account");

    const section = page.getByRole("region", { name: "Two-factor authentication" });
    await section.getByRole("button", { name: "Turn on" }).click();
    await expect(section.getByRole("img", { name: "QR code to scan with your authenticator app" })).toBeVisible();
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, "account-setup");

    // A wrong code is refused by the field.
    const current = codeOf(secret);
    await section.getByLabel("Authentication code").fill(current === "000000" ? "111111" : "000000");
    await section.getByRole("button", { name: "Confirm" }).click();
    await expect(section.getByText("That code is not right")).toBeVisible();

    await section.getByLabel("Authentication code").fill(codeOf(secret));
    await section.getByRole("button", { name: "Confirm" }).click();
    const list = section.getByRole("list", { name: "Recovery codes" });
    await expect(list.getByRole("listitem")).toHaveCount(10);
    const recoveryCodes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, "account-recovery-codes");
    await section.getByRole("button", { name: "I have saved these codes" }).click();
    await expect(section.getByText("10 of 10 recovery codes left.")).toBeVisible();

    // Sign-in now asks for a code after the password.
    await signOut(page);
    await signIn(page, EMAIL);
    await expect(page.getByLabel("Authentication code")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, "sign-in-code");
    // The next step's code: the one used to confirm is spent, and so is every earlier one.
    await page.getByLabel("Authentication code").fill(codeOf(secret, 30_000));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

    // And with a recovery code instead, once.
    await signOut(page);
    await signIn(page, EMAIL);
    await page.getByLabel("Authentication code").fill(recoveryCodes[0]);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
    await page.goto("/account");
    await expect(page.getByText("9 of 10 recovery codes left.")).toBeVisible();
    await expect(page.getByRole("table", { name: "Active sessions" }).getByText("This session")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, "account-on");

    await signOut(page);
    await signIn(page, EMAIL);
    await page.getByLabel("Authentication code").fill(recoveryCodes[0]);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByText("That code is not right, or was already used.")).toBeVisible();
    await page.getByLabel("Authentication code").fill(recoveryCodes[1]);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

    // New recovery codes, with the password: shown once, in place of the old ones.
    await page.goto("/account");
    const manage = page.getByRole("region", { name: "Two-factor authentication" });
    await manage.getByLabel("Current code or password").fill(DEMO_PASSWORD);
    await manage.getByRole("button", { name: "New recovery codes" }).click();
    await expect(manage.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
    await manage.getByRole("button", { name: "I have saved these codes" }).click();
    await expect(manage.getByText("10 of 10 recovery codes left.")).toBeVisible();
  } finally {
    // Off again, with the password: later specs sign this person in with a password alone.
    await page.goto("/account");
    const section = page.getByRole("region", { name: "Two-factor authentication" });
    if (await section.getByRole("button", { name: "Turn off" }).isVisible()) {
      await section.getByLabel("Current code or password").fill(DEMO_PASSWORD);
      await section.getByRole("button", { name: "Turn off" }).click();
      await expect(section.getByRole("button", { name: "Turn on" })).toBeVisible();
    }
    await context.close();
  }
});

test("Your account lists the sessions and has Sign out everywhere", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "viewer@acme.test");
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out everywhere" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Active sessions" }).getByRole("row")).not.toHaveCount(1);
  await context.close();
});

test("an Owner requires two-factor sign-in: a member without it is sent to set it up from every page", async ({ browser }) => {
  test.setTimeout(90_000);
  const owner = await browser.newContext({ storageState: storageStateOf("owner") });
  const viewer = await browser.newContext({ storageState: storageStateOf("viewer") });
  const ownerPage = await owner.newPage();
  const viewerPage = await viewer.newPage();
  const requirement = ownerPage.getByRole("switch", { name: "Require two-factor authentication for everyone in Acme" });
  try {
    await ownerPage.goto("/account");
    const section = ownerPage.getByRole("region", { name: "Two-factor authentication" });
    // Only once the Owner's own is on.
    await expect(requirement).toBeDisabled();
    await section.getByRole("button", { name: "Turn on" }).click();
    const secret = ((await ownerPage.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
    await section.getByLabel("Authentication code").fill(codeOf(secret));
    await section.getByRole("button", { name: "Confirm" }).click();
    await section.getByRole("button", { name: "I have saved these codes" }).click();
    await requirement.click();
    await expect(requirement).toHaveAttribute("aria-checked", "true");

    for (const path of ["/", "/messages", "/api-reference"]) {
      await viewerPage.goto(path);
      await expect(viewerPage).toHaveURL(/\/account\?setup=two-factor$/);
    }
    await expect(viewerPage.getByRole("alert").filter({ hasText: "Acme requires two-factor authentication" })).toBeVisible();
    expect(await seriousViolations(viewerPage)).toEqual([]);
    await screenshots(viewerPage, "account-required");
  } finally {
    // Back as it was: nothing required, the Owner's own off.
    await ownerPage.goto("/account");
    if ((await requirement.getAttribute("aria-checked")) === "true") {
      await requirement.click();
      await expect(requirement).toHaveAttribute("aria-checked", "false");
    }
    const section = ownerPage.getByRole("region", { name: "Two-factor authentication" });
    if (await section.getByRole("button", { name: "Turn off" }).isVisible()) {
      await section.getByLabel("Current code or password").fill(DEMO_PASSWORD);
      await section.getByRole("button", { name: "Turn off" }).click();
      await expect(section.getByRole("button", { name: "Turn on" })).toBeVisible();
    }
    await owner.close();
    await viewer.close();
  }
  // The viewer's pages open again.
  const again = await browser.newContext({ storageState: storageStateOf("viewer") });
  const page = await again.newPage();
  await page.goto("/messages");
  await expect(page.getByRole("heading", { name: "Messages", level: 1 })).toBeVisible();
  await again.close();
});
