/**
 * The running aggregates of `messages` (lib/sms/README.md, "Statistics"): what
 * a statistics read selects from them, and the fold that moves the deltas the
 * triggers append into `message_stats`.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { executeRows } from "@/db/client";
import { messageStats, messageStatsDeltas } from "@/db/schema";
import { STATUS_MAPPING, UNKNOWN_COUNTRY, type MessageFilter, type MessageScope } from "./filters";

/** Whether the aggregates can answer this filter: they know no recipient and no sender. */
export const aggregatesAnswer = (filter: MessageFilter) => filter.criteria.phone === undefined && filter.criteria.sender === undefined;

/**
 * The aggregate rows a filter selects, folded and not yet folded, as one
 * relation `(day date, country text, status text, messages, segments, cost)`.
 * Both tables are read in the same statement, hence the same snapshot: a fold
 * that commits meanwhile is either wholly seen or not at all.
 */
export function aggregateRows(scope: MessageScope, filter: MessageFilter): SQL {
  const { status, country } = filter.criteria;
  const conditions = (table: typeof messageStats | typeof messageStatsDeltas) =>
    sql.join(
      [
        sql`${table.workspaceId} = ${scope.workspaceId}`,
        sql`${table.mode} = ${scope.mode}`,
        sql`${table.day} >= ${filter.range.from}::date`,
        sql`${table.day} <= ${filter.range.to}::date`,
        filter.source === "all" ? undefined : sql`${table.source} = ${filter.source === "api" ? "api" : "campaign"}`,
        status
          ? sql`${table.status} in (${sql.join(
              [...STATUS_MAPPING[status]].map((s) => sql`${s}`),
              sql`, `,
            )})`
          : undefined,
        country === undefined ? undefined : sql`${table.country} = ${country === UNKNOWN_COUNTRY ? "" : country}`,
      ].filter((c): c is SQL => c !== undefined),
      sql` and `,
    );
  return sql`(select day, country, status, messages, segments, cost from ${messageStats} where ${conditions(messageStats)}
    union all
    select day, country, status, messages, segments, cost from ${messageStatsDeltas} where ${conditions(messageStatsDeltas)}) as agg`;
}

/** Deltas moved per transaction: short transactions, whatever piled up. */
export const FOLD_BATCH = 10_000;
/** Folds run one at a time (two instances' jobs, or a job and a test): an advisory lock of this number. */
const FOLD_LOCK = 7_311_001;

/**
 * sms-stats-fold: moves every delta into `message_stats`, in batches of
 * FOLD_BATCH, each one transaction (delete the deltas, add them to their rows),
 * so a read never sees a delta twice or not at all. Rows that fall to zero
 * (every pending message of a day delivered) are deleted. Returns the deltas
 * moved.
 */
export async function foldMessageStats(db: DbOrTx, batch = FOLD_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${FOLD_LOCK})`);
      const [result] = await executeRows<{ moved: number; emptied: string }>(
        tx,
        sql`with moved as (
              delete from message_stats_deltas
              where id in (select id from message_stats_deltas order by id limit ${batch})
              returning workspace_id, mode, source, day, country, status, messages, segments, cost
            ), upserted as (
              insert into message_stats as s (workspace_id, mode, day, source, country, status, messages, segments, cost)
              select workspace_id, mode, day, source, country, status, sum(messages), sum(segments), sum(cost)
              from moved
              group by workspace_id, mode, day, source, country, status
              order by workspace_id, mode, day, source, country, status
              on conflict (workspace_id, mode, day, source, country, status) do update
                set messages = s.messages + excluded.messages, segments = s.segments + excluded.segments, cost = s.cost + excluded.cost
              returning s.workspace_id, s.mode, s.day, s.source, s.country, s.status, s.messages, s.segments, s.cost
            )
            select (select count(*) from moved)::int as moved,
                   coalesce((select json_agg(json_build_object('workspace_id', workspace_id, 'mode', mode, 'day', day, 'source', source,
                                                              'country', country, 'status', status))
                             from upserted where messages = 0 and segments = 0 and cost = 0), '[]')::text as emptied`,
      );
      if (result.emptied !== "[]") {
        await tx.execute(sql`delete from message_stats s
          using json_to_recordset(${result.emptied}::json) as e(workspace_id int, mode text, day date, source text, country text, status text)
          where s.workspace_id = e.workspace_id and s.mode = e.mode and s.day = e.day and s.source = e.source
            and s.country = e.country and s.status = e.status and s.messages = 0 and s.segments = 0 and s.cost = 0`);
      }
      return Number(result.moved);
    });
    total += moved;
    if (moved < batch) return total;
  }
}
