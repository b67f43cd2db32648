/**
 * Prepares the benchmark's database BEFORE any server starts on it (PGlite is one
 * process only): migrations and the demo seed, the keys the scenarios use (made
 * through the same service the portal uses), bulk rows for the big-table
 * scenarios, a top-up, and a session cookie for the owner. Writes the secrets
 * and ids to BENCH_OUT (under .data/bench/, never committed).
 *
 * Env: BENCH_DATABASE_URL or BENCH_PGLITE_DIR, BENCH_OUT, AUTH_SECRET,
 * KEY_ENCRYPTION_KEY, BENCH_EXPORT_BIG / BENCH_EXPORT_SMALL (message rows),
 * BENCH_BULK_KEYS (keys in the big keys workspace), BENCH_STATS_BIG / BENCH_STATS_SMALL
 * (messages over 90 days in the statistics scenario's two workspaces), BENCH_AUDIT_BIG /
 * BENCH_AUDIT_SMALL (audit events of scenario 12's two organizations).
 */
import { eq, inArray, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { startSession } from "@/lib/auth/sessions";
import type { Db } from "@/db/client";
import { seedIfEmpty } from "@/db/seed";
import { apiKeys, ledgerEntries, memberships, organizations, users, workspaces } from "@/db/schema";
import { createKeyInputSchema, type CreateKeyInput } from "@/lib/keys/schemas";
import { createKey } from "@/lib/keys/service";
import { foldMessageStats } from "@/lib/sms/aggregates";
import { contextFor } from "@/lib/workspaces/context";
import { databaseVersion, openBenchDatabase, writeResult } from "./db";

const SESSION_COOKIE = "authjs.session-token"; // next-auth v5 on http (the bench serves plain http)
const TOP_UP = 100_000_000; // EUR: enough for every live send of a full run
const RATE_LIMIT = 1_000_000_000; // requests/s: the bench measures the guard, not the limit
const DAY_SECONDS = 86_400;
const EXPORT_SPAN_DAYS = 9; // messages are spread over the last 9 days

const count = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
  return n;
};

async function main() {
  const startedAt = Date.now();
  const exportBig = count("BENCH_EXPORT_BIG", 1_000_000);
  const exportSmall = count("BENCH_EXPORT_SMALL", 10_000);
  const bulkKeys = count("BENCH_BULK_KEYS", 10_000);
  const statsBig = count("BENCH_STATS_BIG", 1_000_000);
  const statsSmall = count("BENCH_STATS_SMALL", 10_000);
  const auditBig = count("BENCH_AUDIT_BIG", 1_000_000);
  const auditSmall = count("BENCH_AUDIT_SMALL", 10_000);
  const authSecret = process.env.AUTH_SECRET;
  if (!authSecret || !process.env.KEY_ENCRYPTION_KEY) throw new Error("AUTH_SECRET and KEY_ENCRYPTION_KEY must be set");

  // The demo organization is what the scenarios act in, whatever the shell says.
  delete process.env.SEED_DEMO_DATA;
  const database = await openBenchDatabase();
  const { db } = database;
  try {
    await seedIfEmpty(db);
    const [owner] = await db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(eq(users.email, "owner@acme.test"));
    if (!owner) throw new Error("the demo owner is missing: the database was not empty and not seeded by the bench");
    const [main] = await db.select().from(workspaces).where(eq(workspaces.isMain, true));
    const org = main.organizationId;

    const newWorkspace = async (name: string) =>
      (await db.insert(workspaces).values({ organizationId: org, name, balance: "0" }).returning({ id: workspaces.id }))[0].id;
    const keys10 = await newWorkspace("Bench: 10 keys");
    // Each name says its side too: with --only, a scenario left out has 0 rows on both sides (names are unique per organization).
    const keys10k = await newWorkspace(`Bench: ${bulkKeys} keys (many)`);
    const exportBigWs = await newWorkspace(`Bench: ${exportBig} messages (export, big)`);
    const exportSmallWs = await newWorkspace(`Bench: ${exportSmall} messages (export, small)`);
    const statsBigWs = await newWorkspace(`Bench: ${statsBig} messages over 90 days (big)`);
    const statsSmallWs = await newWorkspace(`Bench: ${statsSmall} messages over 90 days (small)`);

    // The send scenario's live workspace never runs dry; balance = Σ ledger holds.
    await db.transaction(async (tx) => {
      await tx
        .update(workspaces)
        .set({ balance: sql`${workspaces.balance} + ${TOP_UP}`, balanceUpdatedAt: new Date() })
        .where(eq(workspaces.id, main.id));
      await tx.insert(ledgerEntries).values({
        workspaceId: main.id,
        amount: String(TOP_UP),
        currency: main.currency,
        type: "deposit",
        description: "Benchmark top-up",
        source: "system",
      });
    });
    await db.update(workspaces).set({ rateLimitPerSecond: RATE_LIMIT }).where(eq(workspaces.organizationId, org));

    const create = async (workspaceId: number, input: Partial<CreateKeyInput> & { name: string }) => {
      const ctx = await contextFor(db, owner.id, workspaceId);
      const created = await createKey(db, ctx, createKeyInputSchema.parse({ permissions: ["*"], mode: "live", ...input }));
      return { id: created.key.id, secret: created.secret, signingSecret: created.signingSecret };
    };
    const keys = {
      // Scenarios 1, 3 (logged), 4 (unsigned), 5 (live), 6 (the keys API)
      full: await create(main.id, { name: "Bench: full access" }),
      // Scenario 3: the same permissions, off the record
      offRecord: await create(main.id, { name: "Bench: off the record", offTheRecord: true }),
      // Scenario 4: signed requests
      hmac: await create(main.id, { name: "Bench: HMAC", hmac: true }),
      // Scenario 13: a daily spend cap far above what the bench spends (every send passes the check)
      capped: await create(main.id, { name: "Bench: daily spend cap", dailySpendCap: "1000000000" }),
      // Scenario 5: test mode
      test: await create(main.id, { name: "Bench: test mode", mode: "test" }),
      // Scenario 7: one reader per export workspace
      exportBig: await create(exportBigWs, { name: "Bench: export reader", permissions: ["sms.read"] }),
      exportSmall: await create(exportSmallWs, { name: "Bench: export reader", permissions: ["sms.read"] }),
      // Scenario 11: one statistics reader per workspace
      statsBig: await create(statsBigWs, { name: "Bench: statistics reader", permissions: ["sms.read"] }),
      statsSmall: await create(statsSmallWs, { name: "Bench: statistics reader", permissions: ["sms.read"] }),
    };

    // Scenario 8: the keys page of a workspace with 10 keys and one with 10,000 (hashes of
    // made-up secrets: these keys are listed, never used).
    await insertKeys(db, keys10, 10, owner.id);
    await insertKeys(db, keys10k, bulkKeys, owner.id);

    // Scenario 7: live messages over the last days, one statement each.
    const exportStarted = Date.now();
    await insertMessages(db, exportBigWs, exportBig);
    await insertMessages(db, exportSmallWs, exportSmall);
    // Scenario 11: 90 days of mixed traffic (the triggers write the aggregates' deltas; the fold job or this fold moves them).
    await insertStatsMessages(db, statsBigWs, statsBig);
    await insertStatsMessages(db, statsSmallWs, statsSmall);
    await foldMessageStats(db);
    const messagesSeconds = (Date.now() - exportStarted) / 1000;
    // Scenario 12: two organizations (the owner is Owner of both) with 1,000,000 and 10,000 audit events over a year.
    const auditStarted = Date.now();
    const auditOrg = async (events: number) => {
      const [o] = await db
        .insert(organizations)
        .values({ name: `Bench: ${events} audit events` })
        .returning({ id: organizations.id });
      const [w] = await db
        .insert(workspaces)
        .values({ organizationId: o.id, name: "Main", isMain: true, balance: "0" })
        .returning({ id: workspaces.id });
      await db.insert(memberships).values({ userId: owner.id, organizationId: o.id, role: "owner" });
      await insertAuditEvents(db, o.id, w.id, owner.id, events);
      return { organization: o.id, workspace: w.id, events, middle: await middleCursor(db, o.id, events) };
    };
    const audit = { big: await auditOrg(auditBig), small: await auditOrg(auditSmall), seconds: 0 };
    audit.seconds = (Date.now() - auditStarted) / 1000;
    await db.execute(sql`analyze`);

    const now = new Date();
    const from = new Date(now.getTime() - (EXPORT_SPAN_DAYS + 1) * DAY_SECONDS * 1000).toISOString().slice(0, 10);
    const to = new Date(now.getTime() + DAY_SECONDS * 1000).toISOString().slice(0, 10);

    // Scenario 8: the owner's session, as next-auth would set it after a sign-in (with its server-side row).
    const { token: sid } = await startSession(db, { userId: owner.id, address: "127.0.0.1", userAgent: "bench" });
    const session = await encode({
      token: { sub: String(owner.id), name: owner.name, email: owner.email, sid },
      secret: authSecret,
      salt: SESSION_COOKIE,
      maxAge: 12 * 3600,
    });

    const counted = await db
      .select({ id: apiKeys.workspaceId, n: sql<number>`count(*)::int` })
      .from(apiKeys)
      .where(inArray(apiKeys.workspaceId, [keys10, keys10k]))
      .groupBy(apiKeys.workspaceId);

    writeResult({
      version: await databaseVersion(db),
      driver: database.driver,
      ownerId: owner.id,
      workspaces: {
        main: main.id,
        keys10,
        keys10k,
        exportBig: exportBigWs,
        exportSmall: exportSmallWs,
        statsBig: statsBigWs,
        statsSmall: statsSmallWs,
      },
      statsRows: { big: statsBig, small: statsSmall },
      audit,
      keyCounts: Object.fromEntries(counted.map((r) => [r.id, r.n])),
      keys,
      exportRows: { big: exportBig, small: exportSmall, from, to },
      session: { name: SESSION_COOKIE, value: session },
      seconds: { total: (Date.now() - startedAt) / 1000, messages: messagesSeconds },
    });
  } finally {
    await database.close();
  }
}

async function insertKeys(db: Db, workspaceId: number, n: number, ownerId: number) {
  if (n === 0) return;
  await db.execute(sql`
    insert into api_keys (id, workspace_id, name, mode, hash, hash_version, start, last4, permissions, created_by, created_at, updated_at)
    select 'key_bench_' || ${workspaceId}::text || '_' || g,
           ${workspaceId}::int,
           'Bench key ' || g,
           case when g % 5 = 0 then 'test' else 'live' end,
           encode(sha256(convert_to('bench-key-' || ${workspaceId}::text || '-' || g, 'UTF8')), 'hex'),
           1,
           case when g % 5 = 0 then 'sk_test_' else 'sk_prod_' end || substr(md5(g::text), 1, 4),
           substr(md5(g::text), 5, 4),
           array['sms.send', 'sms.read']::text[],
           ${ownerId}::int,
           now() - g * interval '1 minute',
           now() - g * interval '1 minute'
    from generate_series(1, ${n}::int) as g`);
}

async function insertMessages(db: Db, workspaceId: number, n: number) {
  if (n === 0) return;
  const step = (EXPORT_SPAN_DAYS * DAY_SECONDS) / n; // seconds between two messages
  await db.execute(sql`
    insert into messages (message_id, workspace_id, key_id, mode, source, recipient, country, sender_id, body, encoding, segments,
                          cost, currency, status, status_code, carrier_message_id, created_at, sent_at, delivered_at, updated_at)
    select 'api_' || ${workspaceId}::text || '_' || (1700000000000000000 + g)::text || '_' || lpad(to_hex(g), 16, '0'),
           ${workspaceId}::int, null, 'live', 'api',
           '+4474001' || lpad((g % 100000)::text, 5, '0'), 'GB', 'Acme',
           'Benchmark message number ' || g, 'GSM-7', 1, 0.04010, 'EUR',
           s.status, case when s.status = 'DELIVRD' then null else 'sim' end, 'sim-' || g,
           t.at, t.at + interval '1 second',
           case when s.status = 'DELIVRD' then t.at + interval '3 seconds' end,
           t.at + interval '3 seconds'
    from generate_series(1, ${n}::int) as g,
         lateral (select now() - make_interval(secs => g * ${step}::float8) as at) t,
         lateral (select case when g % 100 < 94 then 'DELIVRD' when g % 100 < 97 then 'UNDELIV'
                              when g % 100 < 98 then 'REJECTD' when g % 100 < 99 then 'EXPIRED' else 'UNKNOWN' end as status) s`);
}

/** `n` live and test messages spread evenly over the last 90 days, across six countries (one unknown) and every status. */
async function insertStatsMessages(db: Db, workspaceId: number, n: number) {
  if (n === 0) return;
  const step = (90 * DAY_SECONDS) / n;
  await db.execute(sql`
    insert into messages (message_id, workspace_id, key_id, mode, source, recipient, country, sender_id, body, encoding, segments,
                          cost, currency, status, status_code, created_at, updated_at)
    select 'api_' || ${workspaceId}::text || '_' || (1800000000000000000 + g)::text || '_' || lpad(to_hex(g), 16, '0'),
           ${workspaceId}::int, null, case when g % 20 = 0 then 'test' else 'live' end, 'api',
           '+4474002' || lpad((g % 100000)::text, 5, '0'),
           (array['GB', 'GB', 'GB', 'US', 'FR', 'DE', 'ES', null])[1 + g % 8], 'Acme',
           'Statistics message ' || g, 'GSM-7', 1 + g % 3,
           case when s.status = 'failed' then 0 else 0.04010 * (1 + g % 3) end, 'EUR',
           s.status, null, t.at, t.at
    from generate_series(1, ${n}::int) as g,
         lateral (select now() - make_interval(secs => g * ${step}::float8) as at) t,
         lateral (select case when g % 100 < 90 then 'DELIVRD' when g % 100 < 94 then 'UNDELIV' when g % 100 < 95 then 'REJECTD'
                              when g % 100 < 96 then 'EXPIRED' when g % 100 < 97 then 'UNKNOWN' when g % 100 < 98 then 'failed'
                              when g % 100 < 99 then 'sent' else 'pending' end as status) s`);
}

/**
 * `n` audit events of one organization over the last 365 days: a tenth each of ten
 * actions; the owner makes the even ones (every key.update among them), API keys
 * and an unknown actor the rest.
 */
async function insertAuditEvents(db: Db, organizationId: number, workspaceId: number, ownerId: number, n: number) {
  if (n === 0) return;
  const step = (365 * DAY_SECONDS) / n;
  await db.execute(sql`
    insert into audit_events (organization_id, workspace_id, actor_user_id, actor_key_id, action, target_type, target_id, changes,
                              address, created_at)
    select ${organizationId}::int,
           case when a.target = 'member' then null else ${workspaceId}::int end,
           case when g % 2 = 0 then ${ownerId}::int end,
           case when g % 4 = 1 then 'key_bench_audit_' || (g % 50)::text end,
           a.action, a.target,
           case a.target when 'api_key' then 'key_bench_audit_' || (g % 500)::text when 'member' then ${ownerId}::text
                         else ${workspaceId}::text end,
           '{"name": {"before": "Old name", "after": "New name"}}'::jsonb,
           '203.0.113.' || (g % 250)::text,
           now() - make_interval(secs => g * ${step}::float8)
    from generate_series(1, ${n}::int) as g,
         lateral (select (array['key.update', 'auth.sign_in', 'workspace.update', 'key.create', 'webhooks.update', 'key.roll',
                                'auth.sign_in_failed', 'key.revoke', 'member.role_changed', 'billing.top_up'])[1 + g % 10] as action,
                         (array['api_key', 'member', 'workspace', 'api_key', 'workspace', 'api_key', 'member', 'api_key', 'member',
                                'workspace'])[1 + g % 10] as target) a`);
}

/** The Audit log's cursor at the middle of an organization's events: a page there must cost what the first does. */
async function middleCursor(db: Db, organizationId: number, n: number): Promise<string | null> {
  if (n === 0) return null;
  const rows = await db.execute<{ cursor: string }>(sql`
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || id as cursor
    from audit_events where organization_id = ${organizationId} order by created_at desc, id desc offset ${Math.floor(n / 2)} limit 1`);
  const list = Array.isArray(rows) ? rows : (rows as { rows: { cursor: string }[] }).rows;
  return list[0]?.cursor ?? null;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
