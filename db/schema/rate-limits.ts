import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// The store of rate-limiter-flexible's RateLimiterDrizzle (shape fixed by the library).
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull(),
    expire: timestamp("expire", { withTimezone: true }),
  },
  (t) => [
    // The purge of expired counters (the library's own timer is off: every instance would run it).
    index("rate_limits_expiry").on(t.expire),
  ],
);
