import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { apiKeys, formerMemberships, memberships, workspaces } from "@/db/schema";
import type { Permission } from "@/lib/permissions/catalog";
import { ceilingOf, effective } from "@/lib/permissions/math";
import { decryptSecret } from "./encryption";
import { hashSecret, hashSecretWithVersion, type KeyMode } from "./format";

/** What the guard needs to know about a presented key; cached in memory, never sent anywhere. */
export type VerifiedKey = {
  id: string;
  workspaceId: number;
  organizationId: number;
  createdBy: number | null;
  mode: KeyMode;
  /** The key's permissions ∩ its creator's current ceiling. */
  permissions: Permission[];
  /** Its creator's current role ceiling (the role they held when removed; empty when neither is known). */
  creatorCeiling: readonly Permission[];
  enabled: boolean;
  revokedAt: number | null;
  /** Its workspace is archived: refused like a revoked key (read in the same join, no extra query). */
  workspaceArchived: boolean;
  expiresAt: number | null;
  allowedCidrs: string[];
  hmac: boolean;
  /** The signing secret that pairs with the presented secret (the previous one during a roll's grace). */
  signingSecret: string | null;
  offTheRecord: boolean;
  /** (ours) Null: the send reserves no spend (no extra statement); else a decimal, checked in the send's transaction. */
  dailySpendCap: string | null;
  /** (ours) Empty: any destination country. */
  allowedCountries: string[];
  rateLimitPerSecond: number;
  /** Set when the presented secret is the previous one of a rolled key: it stops working then. */
  graceEndsAt: number | null;
};

/** The hashes a secret may be stored under: the current scheme first, then SHA-256 for keys made before a pepper was set. */
export function candidateHashes(secret: string): string[] {
  const current = hashSecret(secret);
  return current.hashVersion === 1 ? [current.hash] : [current.hash, hashSecretWithVersion(secret, 1)];
}

/** One database read: the key whose current or previous secret hashes to one of `hashes`. */
export async function loadKey(db: Db, hashes: string[]): Promise<VerifiedKey | null> {
  const [row] = await db
    .select({
      key: apiKeys,
      organizationId: workspaces.organizationId,
      rateLimitPerSecond: workspaces.rateLimitPerSecond,
      workspaceArchivedAt: workspaces.archivedAt,
      creatorRole: memberships.role,
      formerCreatorRole: formerMemberships.role,
    })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .leftJoin(memberships, and(eq(memberships.userId, apiKeys.createdBy), eq(memberships.organizationId, workspaces.organizationId)))
    .leftJoin(
      formerMemberships,
      and(eq(formerMemberships.userId, apiKeys.createdBy), eq(formerMemberships.organizationId, workspaces.organizationId)),
    )
    .where(or(inArray(apiKeys.hash, hashes), inArray(apiKeys.previousHash, hashes)))
    .limit(1);
  if (!row) return null;
  const k = row.key;
  const matchedPrevious = !hashes.includes(k.hash);
  const encrypted = matchedPrevious ? k.previousSigningSecretEncrypted : k.signingSecretEncrypted;
  // The creator's current role caps the key. A creator removed through the Team page
  // leaves the key with the role they held then (lib/team/members.ts): the key belongs
  // to the workspace, and removal neither breaks nor widens it. A creator with
  // neither (a membership deleted by hand) leaves it no rights.
  const creatorRole = row.creatorRole ?? row.formerCreatorRole;
  const ceiling = creatorRole ? ceilingOf(creatorRole) : [];
  return {
    id: k.id,
    workspaceId: k.workspaceId,
    organizationId: row.organizationId,
    createdBy: k.createdBy,
    mode: k.mode,
    permissions: effective(k.permissions, ceiling),
    creatorCeiling: ceiling,
    enabled: k.enabled,
    revokedAt: k.revokedAt?.getTime() ?? null,
    workspaceArchived: row.workspaceArchivedAt !== null,
    expiresAt: k.expiresAt?.getTime() ?? null,
    allowedCidrs: k.allowedCidrs,
    hmac: k.hmac,
    signingSecret: k.hmac && encrypted ? decryptSecret(encrypted, k.id) : null,
    offTheRecord: k.offTheRecord,
    dailySpendCap: k.dailySpendCap,
    allowedCountries: k.allowedCountries,
    rateLimitPerSecond: row.rateLimitPerSecond,
    graceEndsAt: matchedPrevious ? (k.previousExpiresAt?.getTime() ?? 0) : null,
  };
}

type Entry = { key: VerifiedKey | null; loadedAt: number };

/**
 * Secrets' hashes → verified keys, in memory. Entries live at most `ttlMs`
 * (the bound on staleness even if a change notification is lost) and are
 * dropped at once when a key changes (invalidateKey, driven by LISTEN/NOTIFY
 * across instances). Unknown hashes are cached too, so an unknown key costs
 * what a known one does; both maps are bounded against floods of made-up keys.
 */
export class KeyCache {
  private readonly known = new Map<string, Entry>();
  private readonly unknown = new Map<string, Entry>();
  private readonly hashesOfKey = new Map<string, Set<string>>();
  /** Bumped by every invalidation: a load that started before one must not be cached. */
  generation = 0;

  constructor(
    readonly ttlMs = 500,
    private readonly maxEntries = 50_000,
  ) {}

  get(hash: string, now = Date.now()): Entry | undefined {
    const entry = this.known.get(hash) ?? this.unknown.get(hash);
    if (entry && now - entry.loadedAt < this.ttlMs) return entry;
    return undefined;
  }

  set(hash: string, key: VerifiedKey | null, loadedAt: number, generation = this.generation): void {
    if (generation !== this.generation) return;
    const map = key ? this.known : this.unknown;
    if (map.size >= this.maxEntries) {
      // Oldest first (insertion order): drop a tenth rather than grow without bound.
      let drop = Math.ceil(this.maxEntries / 10);
      for (const h of map.keys()) {
        if (drop-- <= 0) break;
        map.delete(h);
      }
    }
    map.set(hash, { key, loadedAt });
    if (key) {
      let hashes = this.hashesOfKey.get(key.id);
      if (!hashes) this.hashesOfKey.set(key.id, (hashes = new Set()));
      hashes.add(hash);
    }
  }

  invalidateKey(keyId: string): void {
    this.generation++;
    for (const hash of this.hashesOfKey.get(keyId) ?? []) this.known.delete(hash);
    this.hashesOfKey.delete(keyId);
    // A created or rolled key may have a new hash that was cached as unknown.
    this.unknown.clear();
  }

  clear(): void {
    this.generation++;
    this.known.clear();
    this.unknown.clear();
    this.hashesOfKey.clear();
  }

  get size(): number {
    return this.known.size + this.unknown.size;
  }
}

/** Looks a secret up through the cache; concurrent misses for one hash share one database read. */
export class KeyStore {
  private readonly inflight = new Map<string, Promise<VerifiedKey | null>>();
  constructor(
    private readonly db: Db,
    readonly cache: KeyCache,
  ) {}

  /** The key of a secret: at once (no promise) when cached, else after one database read shared by concurrent callers. */
  find(secret: string): VerifiedKey | null | Promise<VerifiedKey | null> {
    const hashes = candidateHashes(secret);
    const hash = hashes[0];
    const cached = this.cache.get(hash);
    if (cached) return cached.key;
    let pending = this.inflight.get(hash);
    if (!pending) {
      const startedAt = Date.now();
      const generation = this.cache.generation;
      pending = loadKey(this.db, hashes)
        .then((key) => {
          this.cache.set(hash, key, startedAt, generation);
          return key;
        })
        .finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    return pending;
  }
}

export const KEY_CHANGES_CHANNEL = "api_key_changes";

/** Inside the transaction of a change to a whole workspace (archiving): one notification per key, in one statement. */
export async function notifyWorkspaceKeysChanged(tx: Pick<Db, "execute">, workspaceId: number): Promise<string[]> {
  const rows = await tx.execute<{ id: string }>(
    sql`select id, pg_notify(${KEY_CHANGES_CHANNEL}, id) from ${apiKeys} where ${apiKeys.workspaceId} = ${workspaceId}`,
  );
  return Array.from(rows as Iterable<{ id: string }>, (r) => r.id);
}

/** Inside the transaction of a key change: every instance drops the key from its cache when it commits. */
export async function notifyKeyChanged(tx: Pick<Db, "execute">, keyId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${KEY_CHANGES_CHANNEL}, ${keyId})`);
}

// Every KeyCache of this process, so a change made here is dropped at once, before
// the NOTIFY round trip (and on PGlite, which has no other instance).
const globalForCaches = globalThis as unknown as { __keyCaches?: Set<KeyCache> };
export function registerKeyCache(cache: KeyCache): () => void {
  (globalForCaches.__keyCaches ??= new Set()).add(cache);
  return () => globalForCaches.__keyCaches?.delete(cache);
}
export function invalidateKeyLocally(keyId: string): void {
  for (const cache of globalForCaches.__keyCaches ?? []) cache.invalidateKey(keyId);
}
