import type { Permission, Role } from "@/lib/permissions/catalog";

/** What restricts where and how a key may be used; a key acting through the keys API can never hand out less. */
export type KeyRestrictions = {
  /** Empty: any address. */
  allowedCidrs: readonly string[];
  hmac: boolean;
  expiresAt: Date | null;
  offTheRecord: boolean;
  /** (ours) The most the key may spend per UTC day (a decimal in the workspace currency); null: no cap. */
  dailySpendCap: string | null;
  /** (ours) Destination countries the key may send to; empty: any. */
  allowedCountries: readonly string[];
};

/** Who is acting: a signed-in member, or (keys API) an API key. */
export type Actor =
  | { kind: "user"; userId: number; role: Role }
  | {
      // A key acting through the keys API; keys it creates are credited to its own creator.
      kind: "key";
      keyId: string;
      createdBy: number | null;
      /** A key sees and manages only keys of its own mode. */
      mode: "live" | "test";
      /** Its creator's current role ceiling: which keys it may see, as that member would in the portal. */
      creatorCeiling: readonly Permission[];
      restrictions: KeyRestrictions;
    };

/**
 * What every service function receives: the workspace it acts in (already
 * authorized), the actor, the most the actor may grant, and the client address
 * for the audit log.
 */
export type ActorContext = {
  workspaceId: number;
  organizationId: number;
  actor: Actor;
  ceiling: readonly Permission[];
  address: string | null;
};
