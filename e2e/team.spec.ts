import { expect, test } from "@playwright/test";
import { seriousViolations, storageStateOf, uniqueName } from "./helpers";
import { changeRole, invite } from "./team-helpers";

const INVITEE_PASSWORD = "Marble-Kettle-58-Lantern";

test.describe("the team", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("an Owner invites a Developer, who joins in another browser, is changed to Viewer, then removed and signed out", async ({
    page,
    browser,
  }) => {
    // The whole story in two browsers, with four axe scans: more than the default minute on a busy machine.
    test.setTimeout(180_000);
    const email = `${uniqueName("dev").replace(/\s+/g, "-").toLowerCase()}@example.test`;
    const link = await invite(page, email, "Developer");
    await expect(page.getByRole("table", { name: "Pending invitations" })).toContainText(email);

    // The invitee, signed out, in a second browser context.
    const invitee = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const theirs = await invitee.newPage();
    await theirs.goto(link);
    await expect(theirs.getByRole("heading", { name: "Join Acme" })).toBeVisible();
    expect(await seriousViolations(theirs)).toEqual([]);
    await theirs.getByLabel("Name").fill("Ivy Invitee");
    await theirs.getByLabel("Password").fill(INVITEE_PASSWORD);
    await theirs.getByRole("button", { name: "Create account and join" }).click();
    // Signed in, in the organization, on the portal's first page.
    await expect(theirs).toHaveURL(/\/$/);
    await expect(theirs.getByRole("banner").getByRole("link", { name: /Ivy Invitee/ })).toBeVisible();

    // What a Developer sees: keys, no Billing, no Audit log; the team, without changes.
    const nav = theirs.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "API keys" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Billing" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Team" })).toBeVisible();
    await theirs.goto("/team");
    await expect(theirs.getByRole("button", { name: "Invite member" })).toHaveCount(0);

    // The link works once.
    const again = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
    await again.goto(link);
    await expect(again.getByText("This invitation was already used")).toBeVisible();

    // The Owner makes them a Viewer: their next page load has no keys page.
    await page.goto("/team");
    await expect(page.getByRole("table", { name: "Members" })).toContainText(email);
    expect(await seriousViolations(page)).toEqual([]);
    await changeRole(page, email, "Viewer");
    await theirs.goto("/");
    await expect(theirs.getByRole("banner").getByRole("link", { name: /Ivy Invitee/ })).toBeVisible();
    await expect(theirs.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" })).toHaveCount(0);
    expect((await theirs.goto("/settings/api-keys"))?.status()).toBe(404);

    // The Owner removes them: their session ends at once.
    await page.getByRole("button", { name: `Actions for ${email}` }).click();
    await page.getByRole("menuitem", { name: "Remove" }).click();
    const confirm = page.getByRole("dialog", { name: /Remove/ });
    await expect(confirm).toContainText("API keys they created keep working");
    expect(await seriousViolations(page)).toEqual([]);
    await confirm.getByRole("button", { name: "Remove member" }).click();
    await expect(page.getByRole("table", { name: "Members" })).not.toContainText(email);
    await theirs.goto("/");
    await expect(theirs).toHaveURL(/\/sign-in/);
    await invitee.close();
  });

  test("a revoked invitation link is refused", async ({ page, browser }) => {
    const email = `${uniqueName("rev").replace(/\s+/g, "-").toLowerCase()}@example.test`;
    const link = await invite(page, email, "Viewer");
    await page.getByRole("button", { name: `Revoke invitation for ${email}` }).click();
    await expect(page.getByText(`The invitation for ${email} was revoked.`)).toBeVisible();
    const other = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
    await other.goto(link);
    await expect(other.getByText("This invitation was revoked")).toBeVisible();
  });
});

test.describe("a developer on the team page", () => {
  test.use({ storageState: storageStateOf("developer") });

  test("sees the members but cannot change them", async ({ page }) => {
    await page.goto("/team");
    await expect(page.getByRole("heading", { name: "Team" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Members" })).toContainText("owner@acme.test");
    await expect(page.getByRole("button", { name: "Invite member" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Actions for/ })).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
