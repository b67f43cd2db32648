/**
 * How long a portal session lives. Pure data: the proxy's next-auth configuration
 * (auth.config.ts) reads it too, and must not pull in the database.
 */
export const SESSION_LIFETIME = {
  /** Signed out after this long without a request (the cookie's JWT rolls by the same amount). */
  idleSeconds: 12 * 60 * 60,
  /** Signed out this long after signing in, however active. */
  absoluteSeconds: 7 * 24 * 60 * 60,
  /** last_seen_at (and the idle expiry) is written at most this often per session. */
  touchEverySeconds: 60,
  /** Ended (revoked or expired) rows are kept this long for the person's record, then purged. */
  retentionDays: 30,
} as const;
