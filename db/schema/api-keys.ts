import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { ALL_PERMISSIONS, type Permission } from "@/lib/permissions/catalog";
import { users, workspaces } from "./accounts";

export const KEY_MODES = ["live", "test"] as const;

export const apiKeys = pgTable(
  "api_keys",
  {
    // Public id, safe to show and log: key_<random>.
    id: text("id").primaryKey(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    mode: text("mode", { enum: KEY_MODES }).notNull(),
    // Hash of the secret (never the secret). hash_version names the scheme.
    hash: text("hash").notNull(),
    hashVersion: smallint("hash_version").notNull(),
    // After a roll, the previous secret's hash works until previous_expires_at.
    previousHash: text("previous_hash"),
    previousExpiresAt: timestamp("previous_expires_at", { withTimezone: true }),
    start: text("start").notNull(),
    last4: text("last4").notNull(),
    permissions: text("permissions").array().notNull().$type<Permission[]>(),
    enabled: boolean("enabled").notNull().default(true),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    allowedCidrs: text("allowed_cidrs")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    postbackUrl: text("postback_url"),
    // (ours) The most this key may spend per UTC day, in the workspace currency (null: no cap). Checked and
    // reserved in the send's transaction against api_key_daily_spend (lib/keys/spend.ts).
    dailySpendCap: numeric("daily_spend_cap", { precision: 16, scale: 5 }),
    // (ours) Destination countries (ISO 3166-1 alpha-2) this key may send to; empty: any.
    allowedCountries: text("allowed_countries")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    offTheRecord: boolean("off_the_record").notNull().default(false),
    hmac: boolean("hmac").notNull().default(false),
    // AES-256-GCM ciphertext of the signing secret (HMAC keys only); never plain text.
    signingSecretEncrypted: text("signing_secret_encrypted"),
    previousSigningSecretEncrypted: text("previous_signing_secret_encrypted"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    // The key that created this one through the keys API (null when a person did): revoking it revokes this one.
    parentKeyId: text("parent_key_id").references((): AnyPgColumn => apiKeys.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedAddress: text("last_used_address"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    // The guard: look a presented secret up by its hash.
    uniqueIndex("api_keys_hash").on(t.hash),
    // The guard, during a roll's grace period: the old secret's hash.
    uniqueIndex("api_keys_previous_hash")
      .on(t.previousHash)
      .where(sql`${t.previousHash} IS NOT NULL`),
    // The keys table: a workspace's keys, newest first (sorting and paging on the server).
    index("api_keys_by_workspace_created").on(t.workspaceId, t.createdAt.desc(), t.id),
    // The keys table's "Filter by name" (listKeys: name ILIKE '%…%'): a substring match can use a
    // trigram index, never a btree. The planner takes it for a selective filter of 3+ characters
    // (a test checks the plan); shorter filters and small tables are read without it. Needs pg_trgm
    // (migration 0004; PGlite loads it in db/client.ts).
    index("api_keys_name_trgm").using("gin", t.name.op("gin_trgm_ops")),
    // Revoking a key: the keys it created, recursively.
    index("api_keys_by_parent")
      .on(t.parentKeyId)
      .where(sql`${t.parentKeyId} IS NOT NULL`),
    // The key expiry job: unrevoked keys with an expiry, by expiry.
    index("api_keys_by_expiry")
      .on(t.expiresAt)
      .where(sql`${t.expiresAt} IS NOT NULL AND ${t.revokedAt} IS NULL`),
    check("api_keys_permissions_in_catalog", sql.raw(`permissions <@ ARRAY[${ALL_PERMISSIONS.map((p) => `'${p}'`).join(", ")}]::text[]`)),
    check("api_keys_mode_known", sql`${t.mode} IN ('live', 'test')`),
    check("api_keys_hmac_has_secret", sql`NOT ${t.hmac} OR ${t.signingSecretEncrypted} IS NOT NULL`),
    check("api_keys_daily_spend_cap_not_negative", sql`${t.dailySpendCap} IS NULL OR ${t.dailySpendCap} >= 0`),
  ],
);

/**
 * (ours) What a key with a daily spend cap has spent per UTC day: one row per key and day, moved
 * only by the send's conditional upsert (spent + cost <= cap, in the send's transaction) and by a
 * refund. Its row lock is what makes the cap exact under concurrency and across instances.
 */
export const apiKeyDailySpend = pgTable(
  "api_key_daily_spend",
  {
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    // The UTC day.
    day: date("day", { mode: "string" }).notNull(),
    spent: numeric("spent", { precision: 16, scale: 5 }).notNull().default("0"),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.day] })],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
