import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { ROLES } from "@/lib/permissions/catalog";
import { organizations, users } from "./accounts";

const roleCheck = (name: string) => check(name, sql.raw(`role IN (${ROLES.map((r) => `'${r}'`).join(", ")})`));

/**
 * Invitations to join an organization (the Team page). The link carries a
 * 256-bit random token; this row holds only its SHA-256, so the table alone
 * cannot be used to join. Pending = not accepted, not revoked, not expired.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // Stored lower-cased, like users.email.
    email: text("email").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    // SHA-256 (base64url) of the token in the link.
    tokenHash: text("token_hash").notNull(),
    invitedBy: integer("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: integer("accepted_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    // Opening a link: the invitation whose token hashes to this.
    uniqueIndex("invitations_token_hash").on(t.tokenHash),
    // The Team page's pending list: an organization's open invitations.
    index("invitations_open_by_org")
      .on(t.organizationId, t.createdAt.desc())
      .where(sql`${t.acceptedAt} IS NULL AND ${t.revokedAt} IS NULL`),
    roleCheck("invitations_role_known"),
  ],
);

/**
 * The role a member held when they were removed. Keys they created belong to the
 * workspace and keep working: capped by this role, never widened, never emptied
 * by the removal (lib/keys/verify.ts). A later membership in the same
 * organization takes precedence.
 */
export const formerMemberships = pgTable(
  "former_memberships",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    removedAt: timestamp("removed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organizationId] }), roleCheck("former_memberships_role_known")],
);
