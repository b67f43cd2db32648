import { sql } from "drizzle-orm";
import { bigint, check, index, integer, numeric, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users, workspaces } from "./accounts";

export const LEDGER_TYPES = ["deposit", "usage", "adjustment"] as const;
export const LEDGER_SOURCES = ["portal", "api", "system"] as const;

/**
 * Every movement of a workspace's balance. The balance on `workspaces` changes
 * only in the same transaction as a row here, so balance = Σ amount always.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    // Positive for deposits, negative for usage.
    amount: numeric("amount", { precision: 16, scale: 5 }).notNull(),
    currency: text("currency").notNull(),
    type: text("type", { enum: LEDGER_TYPES }).notNull(),
    description: text("description").notNull(),
    source: text("source", { enum: LEDGER_SOURCES }).notNull(),
    // The person who made a portal adjustment (a top-up); null for API usage and system entries.
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    // A portal top-up's idempotency key: a double submit of one form adds funds once.
    idempotencyKey: text("idempotency_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /user/payments: a workspace's entries, newest first.
    index("ledger_entries_by_workspace").on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    // One entry per top-up form submission.
    uniqueIndex("ledger_entries_idempotency")
      .on(t.workspaceId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
    check("ledger_entries_type_known", sql`${t.type} IN ('deposit', 'usage', 'adjustment')`),
  ],
);

export const CHANGE_TYPES = ["Same", "Increase", "Decrease"] as const;

/** The price list: a rate per network (MCC+MNC), in EUR per segment. */
export const prices = pgTable(
  "prices",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    mcc: text("mcc").notNull(),
    mnc: text("mnc").notNull(),
    dialcode: text("dialcode").notNull(),
    // ISO 3166 alpha-2
    country: text("country").notNull(),
    countryName: text("country_name").notNull(),
    network: text("network").notNull(),
    rate: numeric("rate", { precision: 10, scale: 5 }).notNull(),
    prevRate: numeric("prev_rate", { precision: 10, scale: 5 }).notNull(),
    rateStartDate: timestamp("rate_start_date", { withTimezone: true }).notNull(),
    rateEndDate: timestamp("rate_end_date", { withTimezone: true }),
    currency: text("currency").notNull().default("EUR"),
  },
  (t) => [
    // Pricing lookups by network.
    uniqueIndex("prices_network").on(t.mcc, t.mnc),
    // The country rate when the network is unknown.
    index("prices_by_country").on(t.country),
  ],
);
