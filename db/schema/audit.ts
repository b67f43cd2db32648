import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { organizations, users, workspaces } from "./accounts";

export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: integer("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    // Set when the actor is an API key (keys management API).
    actorKeyId: text("actor_key_id"),
    // e.g. key.create, key.update, key.roll, key.revoke
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    // Only non-secret fields, as { field: { before, after } }.
    changes: jsonb("changes").$type<AuditChanges>().notNull().default({}),
    address: text("address"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A key's audit history on its page: events of one target, newest first.
    index("audit_events_by_target").on(t.targetType, t.targetId, t.createdAt.desc()),
    // The audit log page: a workspace's events, newest first.
    index("audit_events_by_workspace").on(t.workspaceId, t.createdAt.desc()),
  ],
);
