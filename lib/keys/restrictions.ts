import type { ActorContext, KeyRestrictions } from "@/lib/context/actor";
import { ServiceError } from "@/lib/errors/service-error";
import { toUnits } from "@/lib/billing/money";
import { isRangeWithin } from "@/lib/net/cidr";
import type { KeyMode } from "./format";

/**
 * A key acting through the keys API can never make a key — a new one, another
 * it edits or rolls, or itself — less restricted than itself: no address it
 * could not use, no unsigned requests when it must sign, no later expiry, no
 * turning the request log off, no higher daily spend cap and no country it may
 * not send to. Tightening is always allowed. People in the portal are not bound by this
 * (their limits are their role's ceiling); the rule closes the way for a
 * leaked, restricted key to mint or reopen an unrestricted one.
 */

export type NewKeyDefaults = KeyRestrictions & { mode: KeyMode };

const OPEN: NewKeyDefaults = {
  mode: "live",
  allowedCidrs: [],
  hmac: false,
  expiresAt: null,
  offTheRecord: false,
  dailySpendCap: null,
  allowedCountries: [],
};

/** What a new key gets for what its creator leaves out: a key's own mode and restrictions, the open defaults for a person. */
export function newKeyDefaults(ctx: ActorContext): NewKeyDefaults {
  if (ctx.actor.kind !== "key") return OPEN;
  const { mode, restrictions } = ctx.actor;
  // Logging on is the stricter side, so a new key is never off the record unless asked.
  return {
    mode,
    allowedCidrs: [...restrictions.allowedCidrs],
    hmac: restrictions.hmac,
    expiresAt: restrictions.expiresAt,
    offTheRecord: false,
    dailySpendCap: restrictions.dailySpendCap,
    allowedCountries: [...restrictions.allowedCountries],
  };
}

/** Why `key` (only the fields given) is less restricted than `bound`, or null when it is not. */
export function loosening(bound: KeyRestrictions, key: Partial<KeyRestrictions>): string | null {
  if (key.allowedCidrs !== undefined && bound.allowedCidrs.length > 0) {
    const own = bound.allowedCidrs.join(", ");
    if (key.allowedCidrs.length === 0) return `allowed_cidrs cannot be empty (any address): this key is limited to ${own}`;
    const outside = key.allowedCidrs.find((cidr) => !isRangeWithin(cidr, bound.allowedCidrs));
    if (outside) return `${outside} is not inside this key's allowed CIDRs (${own})`;
  }
  if (key.hmac === false && bound.hmac) return "hmac must be on: this key itself requires signed requests";
  if (key.expiresAt !== undefined && bound.expiresAt) {
    const limit = bound.expiresAt.toISOString();
    if (key.expiresAt === null) return `expires_at is required: this key itself expires at ${limit}`;
    if (key.expiresAt.getTime() > bound.expiresAt.getTime()) return `expires_at must be no later than this key's own expiry, ${limit}`;
  }
  if (key.offTheRecord === true && !bound.offTheRecord) return "off_the_record needs a key that is off the record itself";
  if (key.dailySpendCap !== undefined && bound.dailySpendCap !== null) {
    const own = Number(bound.dailySpendCap);
    if (key.dailySpendCap === null) return `daily_spend_cap is required: this key itself may spend at most ${own} a day`;
    if (toUnits(key.dailySpendCap) > toUnits(bound.dailySpendCap)) return `daily_spend_cap must be at most this key's own, ${own}`;
  }
  if (key.allowedCountries !== undefined && bound.allowedCountries.length > 0) {
    const own = bound.allowedCountries.join(", ");
    if (key.allowedCountries.length === 0) return `allowed_countries cannot be empty (any country): this key may send only to ${own}`;
    const outside = key.allowedCountries.find((c) => !bound.allowedCountries.includes(c));
    if (outside) return `${outside} is not among this key's allowed countries (${own})`;
  }
  return null;
}

/** Refuses (403) a key actor's change that would leave `key` less restricted than the actor; people pass. */
export function assertNoLooserThanActor(ctx: ActorContext, key: Partial<KeyRestrictions>, doing: string): void {
  if (ctx.actor.kind !== "key") return;
  const reason = loosening(ctx.actor.restrictions, key);
  if (reason) throw new ServiceError("FORBIDDEN", `This key cannot ${doing} with fewer restrictions than its own: ${reason}`);
}

/** A key sees, creates and manages only keys of its own mode: a test key never reaches live ones. */
export function assertActorMode(ctx: ActorContext, mode: KeyMode): void {
  if (ctx.actor.kind === "key" && ctx.actor.mode !== mode) {
    throw new ServiceError("FORBIDDEN", `A ${ctx.actor.mode} key cannot create ${mode} keys`);
  }
}
