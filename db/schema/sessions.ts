import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";

/**
 * Portal sign-ins. The session cookie (a next-auth JWT) carries a random token;
 * this row holds only its SHA-256, so the table alone cannot be replayed. A
 * missing, revoked or expired row means signed out, on every instance at once.
 */
export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 (base64url) of the 256-bit token in the cookie.
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Written at most once a minute per session (lib/auth/sessions.ts, touchSession).
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    // Where and with what the person signed in (for their list of sessions).
    address: text("address"),
    userAgent: text("user_agent"),
  },
  (t) => [
    // endAllSessions and the list of a person's sessions: their live rows.
    index("sessions_live_by_user")
      .on(t.userId)
      .where(sql`${t.revokedAt} IS NULL`),
  ],
);
