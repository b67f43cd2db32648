import type { NextRequest } from "next/server";
import { workspaceBalance } from "@/lib/account/queries";
import { json, newRequestId } from "@/lib/api/respond";
import { getApiRuntime } from "@/lib/api/runtime";

// GET /api/bench/balance?workspace=<id> — exists ONLY for the benchmark suite
// (`npm run bench`, scenario 1): the same database read and JSON as
// GET /api/v1/user/balance, without the API key guard, so the guard's cost can be
// measured against it. It is OFF by default: it answers 404 unless the server was
// started with BENCH_ROUTES=true, which only scripts/bench.mjs does.
export const dynamic = "force-dynamic";

export async function GET(request: NextRequest): Promise<Response> {
  const requestId = newRequestId();
  if (process.env.BENCH_ROUTES !== "true") {
    return json({ status: false, error_code: "NOT_FOUND", description: "Not found" }, requestId, { status: 404 });
  }
  const workspaceId = Number(request.nextUrl.searchParams.get("workspace"));
  if (!Number.isInteger(workspaceId) || workspaceId <= 0) {
    return json({ status: false, error_code: "INVALID_PARAMETER", description: "workspace must be a workspace id" }, requestId, {
      status: 400,
    });
  }
  // The same db handle and query as the guarded endpoint's handler.
  const { db } = await getApiRuntime();
  return json(await workspaceBalance(db, workspaceId), requestId);
}
