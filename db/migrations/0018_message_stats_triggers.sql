-- Running aggregates of messages (lib/sms/README.md, "Statistics"). Every statement
-- that inserts, deletes or changes messages appends its net change per group
-- (workspace, mode, source, UTC day, country, status) to message_stats_deltas in
-- the same transaction; the sms-stats-fold job moves the deltas into
-- message_stats. Statement-level triggers with transition tables: a 1,000-row
-- batch UPDATE of the delivery lifecycle writes a few delta rows, not 1,000.
-- A deleted workspace's messages (ON DELETE CASCADE) write nothing: its
-- aggregates go with it.
CREATE FUNCTION message_stats_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO message_stats_deltas (workspace_id, mode, source, day, country, status, messages, segments, cost)
  SELECT workspace_id, mode, source, (created_at AT TIME ZONE 'UTC')::date, coalesce(country, ''), status, count(*), sum(segments), sum(cost)
  FROM new_rows
  GROUP BY 1, 2, 3, 4, 5, 6;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION message_stats_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH changed AS (
    SELECT o.workspace_id AS o_workspace_id, o.mode AS o_mode, o.source AS o_source, o.created_at AS o_created_at,
           o.country AS o_country, o.status AS o_status, o.segments AS o_segments, o.cost AS o_cost,
           n.workspace_id, n.mode, n.source, n.created_at, n.country, n.status, n.segments, n.cost
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.workspace_id, o.mode, o.source, o.created_at, o.country, o.status, o.segments, o.cost)
          IS DISTINCT FROM (n.workspace_id, n.mode, n.source, n.created_at, n.country, n.status, n.segments, n.cost)
  ), delta AS (
    SELECT o_workspace_id AS workspace_id, o_mode AS mode, o_source AS source, o_created_at AS created_at, o_country AS country,
           o_status AS status, -1 AS messages, -o_segments AS segments, -o_cost AS cost
    FROM changed
    UNION ALL
    SELECT workspace_id, mode, source, created_at, country, status, 1, segments, cost
    FROM changed
  )
  INSERT INTO message_stats_deltas (workspace_id, mode, source, day, country, status, messages, segments, cost)
  SELECT workspace_id, mode, source, (created_at AT TIME ZONE 'UTC')::date, coalesce(country, ''), status, sum(messages), sum(segments), sum(cost)
  FROM delta
  WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = delta.workspace_id)
  GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(messages) <> 0 OR sum(segments) <> 0 OR sum(cost) <> 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION message_stats_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO message_stats_deltas (workspace_id, mode, source, day, country, status, messages, segments, cost)
  SELECT workspace_id, mode, source, (created_at AT TIME ZONE 'UTC')::date, coalesce(country, ''), status, -count(*), -sum(segments), -sum(cost)
  FROM old_rows
  WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = old_rows.workspace_id)
  GROUP BY 1, 2, 3, 4, 5, 6;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION message_stats_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM message_stats_deltas;
  DELETE FROM message_stats;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER message_stats_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION message_stats_on_insert();
--> statement-breakpoint
CREATE TRIGGER message_stats_update AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION message_stats_on_update();
--> statement-breakpoint
CREATE TRIGGER message_stats_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION message_stats_on_delete();
--> statement-breakpoint
CREATE TRIGGER message_stats_truncate AFTER TRUNCATE ON messages
  FOR EACH STATEMENT EXECUTE FUNCTION message_stats_on_truncate();
--> statement-breakpoint
-- The messages stored before this migration (the triggers above already hold the
-- table's lock, so no write slips between them and this count).
INSERT INTO message_stats (workspace_id, mode, source, day, country, status, messages, segments, cost)
SELECT workspace_id, mode, source, (created_at AT TIME ZONE 'UTC')::date, coalesce(country, ''), status, count(*), sum(segments), sum(cost)
FROM messages
GROUP BY 1, 2, 3, 4, 5, 6;
