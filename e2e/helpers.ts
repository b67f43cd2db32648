import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3200);
/** The two Postgres-backed instances of the multi-instance suite (see playwright.config.ts). */
export const INSTANCE_A = `http://127.0.0.1:${PORT + 1}`;
export const INSTANCE_B = `http://127.0.0.1:${PORT + 2}`;
export const API_KEY_FILE = ".data/e2e-auth/api-key.json";
/** A full-access test-mode key: a live key can neither create nor manage test keys. */
export const API_TEST_KEY_FILE = ".data/e2e-auth/api-test-key.json";

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "acme-demo-password";

export const USERS = {
  owner: "owner@acme.test",
  admin: "admin@acme.test",
  developer: "developer@acme.test",
  billing: "billing@acme.test",
  viewer: "viewer@acme.test",
} as const;

export const storageStateOf = (who: keyof typeof USERS) => `.data/e2e-auth/${who}.json`;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A name no other test uses, so a filter finds exactly this key. */
export const uniqueName = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export async function filterKeys(page: Page, name: string) {
  await page.getByLabel("Filter by name").fill(name);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(name).replace(/%20/g, "(\\+|%20)")}`));
}

/** axe's serious and critical violations on the page as it is now, one line each (empty when clean). */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
