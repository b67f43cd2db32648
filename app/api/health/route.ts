import { sql } from "drizzle-orm";
import { getDb } from "@/db";

// GET /api/health — readiness: answers 200 once the database is migrated and reachable.
export async function GET() {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
