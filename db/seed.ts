import { count, sql } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import { generateKey } from "@/lib/keys/format";
import { newKeyId } from "@/lib/keys/ids";
import type { Role } from "@/lib/permissions/catalog";
import type { DbOrTx } from "./client";
import { SEED_PRICES } from "./seed-data/prices";
import { apiKeys, ledgerEntries, memberships, organizations, prices, users, workspaces } from "./schema";

export const DEMO_PASSWORD_DEFAULT = "acme-demo-password";

export function demoPassword(): string {
  return process.env.DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
}

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: "owner@acme.test", name: "Olivia Owner", role: "owner" },
  { email: "admin@acme.test", name: "Adam Admin", role: "admin" },
  { email: "developer@acme.test", name: "Dana Developer", role: "developer" },
  { email: "billing@acme.test", name: "Bill Billing", role: "billing" },
  { email: "viewer@acme.test", name: "Vera Viewer", role: "viewer" },
];

// One number for every instance: instances starting together seed once.
const SEED_LOCK = 7_422_002;

/**
 * First start of an empty database: the price list (product data, always), then
 * the demo organization, its workspaces and people (unless SEED_DEMO_DATA=false).
 * A script, not part of opening the database: the server runs it once at start
 * (lib/runtime/start.ts), the tests and the bench call what they need.
 */
export async function seedIfEmpty(db: DbOrTx): Promise<void> {
  const password = demoPassword();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    await seedPricesIfEmpty(tx);
    if (process.env.SEED_DEMO_DATA === "false") return;
    const [{ n }] = await tx.select({ n: count() }).from(organizations);
    if (n > 0) return;
    await seedDemo(tx, password);
  });
}

export async function seedPricesIfEmpty(db: DbOrTx): Promise<void> {
  const [{ n }] = await db.select({ n: count() }).from(prices);
  if (n > 0) return;
  await db
    .insert(prices)
    .values(SEED_PRICES.map((p) => ({ ...p, rateStartDate: new Date(`${p.rateStartDate}T00:00:00Z`), rateEndDate: null })));
}

export type DemoSeed = {
  organizationId: number;
  mainWorkspaceId: number;
  stagingWorkspaceId: number;
  userIds: Record<Role, number>;
};

export async function seedDemo(db: DbOrTx, password: string): Promise<DemoSeed> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ name: "Acme" }).returning();
    const [main] = await tx
      .insert(workspaces)
      .values({ organizationId: org.id, name: "Main", isMain: true, balance: "250.0000" })
      .returning();
    const [staging] = await tx.insert(workspaces).values({ organizationId: org.id, name: "Staging", balance: "25.0000" }).returning();
    // The ledger behind those balances (balance = Σ amount).
    const day = (n: number) => new Date(Date.now() - n * 86_400_000);
    await tx.insert(ledgerEntries).values([
      {
        workspaceId: main.id,
        amount: "200.0000",
        currency: "EUR",
        type: "deposit",
        description: "Top-up by bank transfer",
        source: "portal",
        createdAt: day(40),
      },
      {
        workspaceId: main.id,
        amount: "100.0000",
        currency: "EUR",
        type: "deposit",
        description: "Top-up by card",
        source: "portal",
        createdAt: day(12),
      },
      {
        workspaceId: main.id,
        amount: "-50.0000",
        currency: "EUR",
        type: "adjustment",
        description: "Correction of a duplicate top-up",
        source: "portal",
        createdAt: day(11),
      },
      {
        workspaceId: staging.id,
        amount: "25.0000",
        currency: "EUR",
        type: "deposit",
        description: "Test credit",
        source: "portal",
        createdAt: day(30),
      },
    ]);
    const userIds = {} as Record<Role, number>;
    for (const person of DEMO_USERS) {
      const [user] = await tx.insert(users).values({ email: person.email, name: person.name, passwordHash }).returning({ id: users.id });
      userIds[person.role] = user.id;
      await tx.insert(memberships).values({ userId: user.id, organizationId: org.id, role: person.role });
    }
    // Two keys so the keys page is not empty on first look; their secrets are discarded.
    const demoKeys = [
      { name: "Production backend", mode: "live" as const, permissions: ["*" as const] },
      { name: "CI smoke tests", mode: "test" as const, permissions: ["sms.send" as const, "sms.read" as const] },
    ];
    for (const key of demoKeys) {
      const generated = generateKey(key.mode);
      await tx.insert(apiKeys).values({
        id: newKeyId(),
        workspaceId: main.id,
        name: key.name,
        mode: key.mode,
        hash: generated.hash,
        hashVersion: generated.hashVersion,
        start: generated.start,
        last4: generated.last4,
        permissions: key.permissions,
        createdBy: userIds.owner,
      });
    }
    return { organizationId: org.id, mainWorkspaceId: main.id, stagingWorkspaceId: staging.id, userIds };
  });
}
