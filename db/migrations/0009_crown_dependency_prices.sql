-- Hand-written (drizzle-kit generate --custom): the Crown Dependencies' prices (GG, JE, IM) for
-- databases whose price list was seeded before db/seed-data/prices.ts had them. An empty price list
-- is left alone: the seed (seedPricesIfEmpty) fills it with the whole list, these rows included.
-- A network already listed (by MCC/MNC) is kept as it is.
INSERT INTO "prices" ("mcc", "mnc", "dialcode", "country", "country_name", "network", "rate", "prev_rate", "rate_start_date", "rate_end_date")
SELECT v.mcc, v.mnc, '44', v.country, v.country_name, v.network, 0.0401, 0.0401, '2026-12-05T00:00:00Z'::timestamptz, NULL
FROM (VALUES
  ('234', '55', 'GG', 'Guernsey', 'Sure (Guernsey)'),
  ('234', '50', 'JE', 'Jersey', 'JT'),
  ('234', '03', 'JE', 'Jersey', 'Airtel-Vodafone'),
  ('234', '58', 'IM', 'Isle of Man', 'Manx Telecom'),
  ('234', '36', 'IM', 'Isle of Man', 'Sure (Isle of Man)')
) AS v (mcc, mnc, country, country_name, network)
WHERE EXISTS (SELECT 1 FROM "prices")
ON CONFLICT ("mcc", "mnc") DO NOTHING;
