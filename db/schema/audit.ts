import { sql } from "drizzle-orm";
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
    // A workspace's events (and deleting a workspace's events with it).
    index("audit_events_by_workspace").on(t.workspaceId, t.createdAt.desc()),
    // The Audit log page (lib/audit/query.ts): an organization's events, newest first by (created_at, id), a keyset page at a time.
    index("audit_events_by_organization").on(t.organizationId, t.createdAt.desc(), t.id.desc()),
    // ... filtered by a person ("Actor").
    index("audit_events_by_actor_user").on(t.organizationId, t.actorUserId, t.createdAt.desc(), t.id.desc()),
    // ... filtered by an API key ("Actor"): only the events a key made.
    index("audit_events_by_actor_key")
      .on(t.organizationId, t.actorKeyId, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.actorKeyId} is not null`),
    // ... filtered by "Action".
    index("audit_events_by_action").on(t.organizationId, t.action, t.createdAt.desc(), t.id.desc()),
    // ... filtered by "Target" (its type; a target id too uses audit_events_by_target).
    index("audit_events_by_target_type").on(t.organizationId, t.targetType, t.createdAt.desc(), t.id.desc()),
  ],
);
