import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// The store of rate-limiter-flexible's RateLimiterDrizzle (shape fixed by the library).
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: timestamp("expire", { withTimezone: true }),
});
