-- Trigram matching, for the keys table's name filter (ILIKE '%…%'): the index follows in 0005.
-- A trusted extension since Postgres 13: the database's owner may create it. PGlite loads it in db/client.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
