import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "@/db/schema";
import { housekeeping } from "@/lib/runtime/housekeeping";
import { loadPortalContext } from "@/lib/workspaces/context";
import { createTestDatabase, type TestDatabase } from "@/tests/db";
import { SESSION_LIFETIME } from "./session-lifetime";
import { endAllSessions, endSession, listActiveSessions, purgeEndedSessions, sessionIdOf, startSession } from "./sessions";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const start = (userId: number, address = "198.51.100.1") => startSession(t.db, { userId, address, userAgent: "Firefox" });
/** What a page sees for this session: its context, or null (signed out). */
const contextOf = (userId: number, sessionId: string) => loadPortalContext(t.db, { userId, sessionId }, null, "198.51.100.1");
const row = async (id: string) => (await t.db.select().from(sessions).where(eq(sessions.id, id)))[0];
/** Moves a session's clock back: as if it were made and last used `seconds` ago. */
const age = (id: string, column: "created_at" | "last_seen_at" | "expires_at" | "revoked_at", seconds: number) =>
  t.db.execute(sql`UPDATE sessions SET ${sql.identifier(column)} = now() - make_interval(secs => ${seconds}) WHERE id = ${id}`);

describe("sessions", () => {
  it("stores only the hash of the cookie's token", async () => {
    const { token, id } = await start(t.seed.userIds.owner);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(id).toBe(sessionIdOf(token));
    expect(id).not.toBe(token);
    const stored = await row(id);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored).toMatchObject({ userId: t.seed.userIds.owner, address: "198.51.100.1", userAgent: "Firefox", revokedAt: null });
  });

  it("opens the portal for a live session only: not an ended, expired, missing or someone else's", async () => {
    const owner = t.seed.userIds.owner;
    const live = await start(owner);
    expect((await contextOf(owner, live.id))?.sessionId).toBe(live.id);

    const ended = await start(owner);
    expect(await endSession(t.db, ended.id)).toBe(true);
    expect(await endSession(t.db, ended.id)).toBe(false);
    expect(await contextOf(owner, ended.id)).toBeNull();

    const expired = await start(owner);
    await age(expired.id, "expires_at", 1);
    expect(await contextOf(owner, expired.id)).toBeNull();

    expect(await contextOf(owner, sessionIdOf("never-issued"))).toBeNull();

    const developers = await start(t.seed.userIds.developer);
    expect(await contextOf(owner, developers.id)).toBeNull();
    // Ending one session leaves the others alone.
    expect(await contextOf(owner, live.id)).not.toBeNull();
  });

  it("ends every session of a person, or all but one (a password change keeps the one it was made from)", async () => {
    const admin = t.seed.userIds.admin;
    const [a, b, c] = [await start(admin), await start(admin), await start(admin)];
    const other = await start(t.seed.userIds.billing);

    expect(await endAllSessions(t.db, admin, { except: a.id })).toBe(2);
    expect(await contextOf(admin, a.id)).not.toBeNull();
    expect(await contextOf(admin, b.id)).toBeNull();
    expect(await contextOf(admin, c.id)).toBeNull();

    expect(await endAllSessions(t.db, admin)).toBe(1);
    expect(await contextOf(admin, a.id)).toBeNull();
    // Nobody else's.
    expect(await contextOf(t.seed.userIds.billing, other.id)).not.toBeNull();
  });

  it("lists a person's live sessions, most recently used first", async () => {
    const viewer = t.seed.userIds.viewer;
    const older = await start(viewer, "192.0.2.1");
    const newer = await start(viewer, "192.0.2.2");
    const ended = await start(viewer, "192.0.2.3");
    const expired = await start(viewer, "192.0.2.4");
    await endSession(t.db, ended.id);
    await age(expired.id, "expires_at", 1);
    await age(older.id, "last_seen_at", 600);

    const list = await listActiveSessions(t.db, viewer);
    expect(list.map((s) => s.id)).toEqual([newer.id, older.id]);
    expect(list[0]).toMatchObject({ address: "192.0.2.2", userAgent: "Firefox" });
  });

  it("records activity at most once a minute, moving the idle expiry but never past the absolute one", async () => {
    const user = t.seed.userIds.developer;
    const { id } = await start(user);
    const fresh = await row(id);
    await contextOf(user, id);
    expect(await row(id)).toEqual(fresh); // used within the minute: nothing written

    await age(id, "last_seen_at", 2 * 60);
    await age(id, "expires_at", -60); // a minute of idle time left
    const before = await row(id);
    await contextOf(user, id);
    const after = await row(id);
    expect(after.lastSeenAt.getTime()).toBeGreaterThan(before.lastSeenAt.getTime());
    expect(after.expiresAt.getTime() - after.lastSeenAt.getTime()).toBe(SESSION_LIFETIME.idleSeconds * 1000);

    // Near the absolute lifetime, activity no longer extends it.
    await age(id, "created_at", SESSION_LIFETIME.absoluteSeconds - 60);
    await age(id, "last_seen_at", 2 * 60);
    await contextOf(user, id);
    const capped = await row(id);
    expect(capped.expiresAt.getTime()).toBe(capped.createdAt.getTime() + SESSION_LIFETIME.absoluteSeconds * 1000);
  });

  it("purges sessions that ended more than the retention ago, in the hourly housekeeping", async () => {
    const user = t.seed.userIds.billing;
    const day = 24 * 60 * 60;
    const retention = SESSION_LIFETIME.retentionDays * day;
    const live = await start(user);
    const recentlyEnded = await start(user);
    await endSession(t.db, recentlyEnded.id);
    const longRevoked = await start(user);
    await endSession(t.db, longRevoked.id);
    await age(longRevoked.id, "revoked_at", retention + 60);
    const longExpired = await start(user);
    await age(longExpired.id, "expires_at", retention + 60);
    const recentlyExpired = await start(user);
    await age(recentlyExpired.id, "expires_at", day);

    await housekeeping(t.db);
    const left = new Set((await t.db.select({ id: sessions.id }).from(sessions)).map((r) => r.id));
    expect(left.has(live.id)).toBe(true);
    expect(left.has(recentlyEnded.id)).toBe(true);
    expect(left.has(recentlyExpired.id)).toBe(true);
    expect(left.has(longRevoked.id)).toBe(false);
    expect(left.has(longExpired.id)).toBe(false);
    expect(await purgeEndedSessions(t.db)).toBe(0);
  });
});
