import { sql } from "drizzle-orm";
import { boolean, check, index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { ROLES } from "@/lib/permissions/catalog";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const organizations = pgTable("organizations", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull(),
  // An Owner's choice: every member must sign in with a second factor (pages send those without one to set it up).
  requireTwoFactor: boolean("require_two_factor").notNull().default(false),
  createdAt: createdAt(),
});

export const workspaces = pgTable(
  "workspaces",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    isMain: boolean("is_main").notNull().default(false),
    currency: text("currency").notNull().default("EUR"),
    // Money is numeric, never float: sums must be exact.
    balance: numeric("balance", { precision: 16, scale: 5 }).notNull().default("0"),
    balanceUpdatedAt: timestamp("balance_updated_at", { withTimezone: true }).notNull().defaultNow(),
    // The Billing page's "Low balance alert": the dashboard warns at or below it (null: no alert set).
    lowBalanceThreshold: numeric("low_balance_threshold", { precision: 16, scale: 5 }),
    // The API's per-workspace request limit (RATE_LIMIT_EXCEEDED above it).
    rateLimitPerSecond: integer("rate_limit_per_second").notNull().default(1000),
    // ISO 3166 alpha-2 codes this workspace never sends to (recipients come back blocked_country, not billed).
    blockedCountries: text("blocked_countries")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    // Archived: its keys are refused (loadKey reads this in its join), its data stays readable; never the main one.
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [
    // Names are unique within an organization, whatever their case (create and rename).
    uniqueIndex("workspaces_name_per_org").on(t.organizationId, sql`lower(${t.name})`),
    check("workspaces_main_not_archived", sql`NOT (${t.isMain} AND ${t.archivedAt} IS NOT NULL)`),
    // Exactly one main workspace per organization.
    uniqueIndex("workspaces_one_main_per_org")
      .on(t.organizationId)
      .where(sql`${t.isMain}`),
    // The workspace switcher: workspaces of an organization.
    index("workspaces_by_org").on(t.organizationId),
  ],
);

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    // Stored lower-cased; sign-in lower-cases its input.
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    // Set by every successful sign-in (lib/auth/sign-in.ts); shown on the Team page.
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_email").on(t.email),
    // Lower-cased on the way in: so the unique index above is unique case-insensitively.
    check("users_email_lower_case", sql`${t.email} = lower(${t.email})`),
  ],
);

export const memberships = pgTable(
  "memberships",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.organizationId] }),
    check("memberships_role_known", sql.raw(`role IN (${ROLES.map((r) => `'${r}'`).join(", ")})`)),
  ],
);
