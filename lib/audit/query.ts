/**
 * Reading the audit log back: the Audit log page's filters, its keyset pages
 * and the CSV export, always within one organization (every event carries its
 * organization: the events of its workspaces and its own, such as sign-ins and
 * team changes).
 */
import { and, asc, eq, gte, inArray, isNull, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db";
import { apiKeys, auditEvents, invitations, memberships, organizations, users, workspaces } from "@/db/schema";
import { AUDIT_ACTION_NAMES, AUDIT_TARGET_TYPES } from "./actions";

export const AUDIT_PAGE_SIZE = 25;
export const AUDIT_PERIODS = ["24h", "7d", "30d", "90d"] as const;
export type AuditPeriod = (typeof AUDIT_PERIODS)[number];
const PERIOD_MS: Record<AuditPeriod, number> = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, "90d": 90 * 86_400_000 };

/** A keyset position: an event's time at full (microsecond) precision and its id. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_(\d{1,18})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const empty = (v: unknown) => (v === "" ? undefined : v);
const day = (label: string) =>
  z.preprocess(
    empty,
    z
      .string()
      .regex(DAY, `${label} must be a date (YYYY-MM-DD)`)
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), `${label} must be a real date`)
      .optional(),
  );

/** The page's and the export's search parameters. */
export const auditQuerySchema = z
  .object({
    // "user:<id>" (a person), "key:<key id>" (an API key) or "none" (no known actor: failed sign-ins).
    actor: z.preprocess(
      empty,
      z
        .string()
        .regex(/^(user:\d{1,9}|key:[\w-]{1,64}|none)$/, "Choose a listed actor")
        .optional(),
    ),
    action: z.preprocess(empty, z.enum(AUDIT_ACTION_NAMES, { error: "Choose a listed action" }).optional()),
    target: z.preprocess(empty, z.enum(AUDIT_TARGET_TYPES, { error: "Choose a listed target" }).optional()),
    target_id: z.preprocess(empty, z.string().trim().max(100, "At most 100 characters").optional()),
    period: z.preprocess(empty, z.enum(AUDIT_PERIODS, { error: "Choose a listed period" }).optional()),
    from: day("From"),
    to: day("To"),
    after: z.preprocess(empty, z.string().regex(CURSOR, "Not a page of this log").optional()),
    before: z.preprocess(empty, z.string().regex(CURSOR, "Not a page of this log").optional()),
  })
  .refine((q) => !(q.from && q.to && q.from > q.to), { path: ["to"], message: "To must be on or after From" });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The filters as SQL, within the organization (no cursor). */
export function auditWhere(organizationId: number, q: AuditQuery, now = Date.now()): SQL {
  const parts: (SQL | undefined)[] = [eq(auditEvents.organizationId, organizationId)];
  if (q.actor === "none") parts.push(isNull(auditEvents.actorUserId), isNull(auditEvents.actorKeyId));
  else if (q.actor?.startsWith("user:")) parts.push(eq(auditEvents.actorUserId, Number(q.actor.slice(5))));
  else if (q.actor?.startsWith("key:")) parts.push(eq(auditEvents.actorKeyId, q.actor.slice(4)));
  if (q.action) parts.push(eq(auditEvents.action, q.action));
  if (q.target) parts.push(eq(auditEvents.targetType, q.target));
  if (q.target_id) parts.push(eq(auditEvents.targetId, q.target_id));
  // From/To (UTC days, To included) win over a preset period.
  if (q.from || q.to) {
    if (q.from) parts.push(gte(auditEvents.createdAt, new Date(`${q.from}T00:00:00Z`)));
    if (q.to) parts.push(lt(auditEvents.createdAt, new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000)));
  } else if (q.period) {
    parts.push(gte(auditEvents.createdAt, new Date(now - PERIOD_MS[q.period])));
  }
  return and(...parts)!;
}

const columns = {
  id: auditEvents.id,
  workspaceId: auditEvents.workspaceId,
  actorUserId: auditEvents.actorUserId,
  actorKeyId: auditEvents.actorKeyId,
  action: auditEvents.action,
  targetType: auditEvents.targetType,
  targetId: auditEvents.targetId,
  changes: auditEvents.changes,
  address: auditEvents.address,
  createdAt: auditEvents.createdAt,
  // The keyset cursor at full precision (a JS Date keeps only milliseconds), in UTC whatever the session's settings.
  cursor: sql<string>`to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};
// NULLS LAST as in the indexes (drizzle's .desc()), so Postgres reads them in order instead of sorting
// (both columns are NOT NULL: nothing else changes); OLDEST_FIRST reads them backwards.
const NEWEST_FIRST = [sql`${auditEvents.createdAt} desc nulls last`, sql`${auditEvents.id} desc nulls last`];
const OLDEST_FIRST = [sql`${auditEvents.createdAt} asc nulls first`, sql`${auditEvents.id} asc nulls first`];
export type EventRow = Awaited<ReturnType<typeof eventBatch>>[number];

const parseCursor = (c: string) => {
  const [, at, id] = CURSOR.exec(c)!;
  return { at, id: Number(id) };
};

/**
 * Newest first by (created_at, id), read along the indexes that lead with
 * organization_id (and the filtered column) — never OFFSET: any page costs what
 * the first does, however many events lie before it.
 */
export function eventBatch(db: DbOrTx, where: SQL, position: { after?: string; before?: string }, limit: number) {
  let query = where;
  let newerFirst = true;
  if (position.after) {
    const c = parseCursor(position.after);
    query = and(where, sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${c.at}::timestamptz, ${c.id})`)!;
  } else if (position.before) {
    const c = parseCursor(position.before);
    query = and(where, sql`(${auditEvents.createdAt}, ${auditEvents.id}) > (${c.at}::timestamptz, ${c.id})`)!;
    newerFirst = false;
  }
  return db
    .select(columns)
    .from(auditEvents)
    .where(query)
    .orderBy(...(newerFirst ? NEWEST_FIRST : OLDEST_FIRST))
    .limit(limit);
}

export type AuditEventView = {
  id: number;
  action: string;
  actor: { kind: "user" | "key" | "none"; name: string; detail: string | null };
  /** The "Actor" filter's value for this event's actor. */
  actorFilter: string;
  target: { type: string; id: string; name: string | null };
  workspace: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
  address: string | null;
  createdAt: Date;
  cursor: string;
};

/** Names for the events' actors, targets and workspaces: a few indexed lookups per page, whatever the log's size. */
export async function describeEvents(db: DbOrTx, organizationId: number, rows: EventRow[]): Promise<AuditEventView[]> {
  const ids = <T>(values: (T | null)[]) => [...new Set(values.filter((v): v is T => v !== null))];
  const userIds = ids(
    rows.flatMap((r) => [r.actorUserId, r.targetType === "member" || r.targetType === "user" ? Number(r.targetId) : null]),
  );
  const keyIds = ids(rows.flatMap((r) => [r.actorKeyId, r.targetType === "api_key" ? r.targetId : null]));
  const workspaceIds = ids(rows.flatMap((r) => [r.workspaceId, r.targetType === "workspace" ? Number(r.targetId) : null]));
  const invitationIds = ids(rows.map((r) => (r.targetType === "invitation" ? Number(r.targetId) : null)));
  const [people, keys, spaces, invited, [organization]] = await Promise.all([
    userIds.length
      ? db
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(inArray(users.id, userIds.filter(Number.isSafeInteger)))
      : [],
    keyIds.length
      ? db
          .select({ id: apiKeys.id, name: apiKeys.name, start: apiKeys.start, last4: apiKeys.last4 })
          .from(apiKeys)
          .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
          .where(and(inArray(apiKeys.id, keyIds), eq(workspaces.organizationId, organizationId)))
      : [],
    workspaceIds.length
      ? db
          .select({ id: workspaces.id, name: workspaces.name })
          .from(workspaces)
          .where(and(inArray(workspaces.id, workspaceIds.filter(Number.isSafeInteger)), eq(workspaces.organizationId, organizationId)))
      : [],
    invitationIds.length
      ? db
          .select({ id: invitations.id, email: invitations.email })
          .from(invitations)
          .where(and(inArray(invitations.id, invitationIds.filter(Number.isSafeInteger)), eq(invitations.organizationId, organizationId)))
      : [],
    db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, organizationId)),
  ]);
  const person = new Map(people.map((p) => [String(p.id), p]));
  const key = new Map(keys.map((k) => [k.id, k]));
  const space = new Map(spaces.map((w) => [String(w.id), w.name]));
  const invitation = new Map(invited.map((i) => [String(i.id), i.email]));

  const targetName = (type: string, id: string): string | null => {
    switch (type) {
      case "api_key":
        return key.get(id)?.name ?? null;
      case "workspace":
        return space.get(id) ?? null;
      case "member":
      case "user":
        return person.get(id)?.name ?? null;
      case "invitation":
        return invitation.get(id) ?? null;
      case "organization":
        return organization?.name ?? null;
      default:
        return null;
    }
  };

  return rows.map((r) => {
    let actor: AuditEventView["actor"];
    if (r.actorUserId !== null) {
      const p = person.get(String(r.actorUserId));
      actor = { kind: "user", name: p?.name ?? "Former member", detail: p?.email ?? null };
    } else if (r.actorKeyId !== null) {
      const k = key.get(r.actorKeyId);
      actor = { kind: "key", name: k ? k.name : "API key", detail: k ? `${k.start}…${k.last4}` : r.actorKeyId };
    } else {
      actor = { kind: "none", name: "Unknown", detail: null };
    }
    return {
      id: r.id,
      action: r.action,
      actor,
      actorFilter: r.actorUserId !== null ? `user:${r.actorUserId}` : r.actorKeyId !== null ? `key:${r.actorKeyId}` : "none",
      target: { type: r.targetType, id: r.targetId, name: targetName(r.targetType, r.targetId) },
      workspace: r.workspaceId === null ? null : (space.get(String(r.workspaceId)) ?? null),
      changes: r.changes,
      address: r.address,
      createdAt: r.createdAt,
      cursor: `${r.cursor}_${r.id}`,
    };
  });
}

export type AuditPage = {
  events: AuditEventView[];
  /** The cursor of the page of older events, when there is one. */
  older: string | null;
  /** The cursor of the page of newer events, when this is not the newest page. */
  newer: string | null;
};

/** One page of the organization's events, newest first, after or before a cursor. */
export async function listAuditEvents(
  db: DbOrTx,
  organizationId: number,
  q: AuditQuery,
  options: { limit?: number; now?: number } = {},
): Promise<AuditPage> {
  const limit = options.limit ?? AUDIT_PAGE_SIZE;
  const where = auditWhere(organizationId, q, options.now);
  const backwards = !q.after && Boolean(q.before);
  const rows = await eventBatch(db, where, { after: q.after, before: backwards ? q.before : undefined }, limit + 1);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();
  const events = await describeEvents(db, organizationId, page);
  const first = events[0]?.cursor ?? null;
  const last = events.at(-1)?.cursor ?? null;
  return {
    events,
    older: backwards ? (events.length ? last : null) : more ? last : null,
    newer: backwards ? (more ? first : null) : q.after ? first : null,
  };
}

/** The people who may appear as actors in the filter: the organization's members, by name. */
export async function auditActors(db: DbOrTx, organizationId: number): Promise<Array<{ id: number; name: string; email: string }>> {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(users.name), asc(users.id));
}
