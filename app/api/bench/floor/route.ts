import postgres from "postgres";

// GET /api/bench/floor?workspace=<id> — exists ONLY for the benchmark suite (`npm run
// bench`, scenario 10): the floor under GET /api/v1/user/balance, i.e. the minimal
// Next.js route handler doing the same read — one SELECT of the workspace's balance
// by id on the postgres driver directly (its own small client, no Drizzle, no guard,
// no helpers) and `Response.json`. It is OFF by default: it answers 404 unless the
// server was started with BENCH_ROUTES=true (which only scripts/bench.mjs does) and
// DATABASE_URL is set (it needs a Postgres server).
export const dynamic = "force-dynamic";

const globalForFloor = globalThis as unknown as { __benchFloorSql?: postgres.Sql };

export async function GET(request: Request): Promise<Response> {
  const url = process.env.DATABASE_URL;
  if (process.env.BENCH_ROUTES !== "true" || !url) return Response.json({ status: false, error_code: "NOT_FOUND" }, { status: 404 });
  const workspaceId = Number(new URL(request.url).searchParams.get("workspace"));
  if (!Number.isInteger(workspaceId) || workspaceId <= 0) return Response.json({ status: false }, { status: 400 });
  const sql = (globalForFloor.__benchFloorSql ??= postgres(url, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }));
  const [row] = await sql`select balance, currency, balance_updated_at from workspaces where id = ${workspaceId}`;
  const iso = (row.balance_updated_at as Date).toISOString();
  const balance = Number(row.balance);
  return Response.json({
    balance,
    currency: row.currency,
    updated: `${iso.slice(0, 10).replaceAll("-", ".")} ${iso.slice(11, 19)}`,
    ...(balance <= 0 ? { credit_blocked: true } : {}),
  });
}
