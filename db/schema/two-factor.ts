import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";

/**
 * A person's TOTP authenticator (lib/auth/two-factor.ts). A row with no
 * `enabled_at` is an enrolment started and not yet confirmed with a code.
 */
export const userTwoFactor = pgTable("user_two_factor", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  // The base32 secret, AES-256-GCM encrypted (lib/keys/encryption.ts) and bound to the user id: never readable from the table.
  secretEncrypted: text("secret_encrypted").notNull(),
  enabledAt: timestamp("enabled_at", { withTimezone: true }),
  // The last TOTP time step accepted (Unix time / 30 s): a code is accepted once, and no older one after it.
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One-time recovery codes: only their SHA-256 (high-entropy codes, like API keys), each usable once. */
export const twoFactorRecoveryCodes = pgTable(
  "two_factor_recovery_codes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Sign-in with a recovery code, and the count left: a person's unused codes.
    index("two_factor_recovery_codes_unused_by_user")
      .on(t.userId, t.codeHash)
      .where(sql`${t.usedAt} IS NULL`),
  ],
);
