import { getDb } from "@/db";
import { hasPortalRight } from "@/lib/permissions/catalog";
import { queryErrors } from "@/lib/portal/search-params";
import { getPortalContext, mustSetUpTwoFactor } from "@/lib/portal/session";
import { readTrafficMode } from "@/lib/portal/traffic-mode";
import { exportQuery } from "@/lib/sms/filters";
import { exportCsv, exportHeaders } from "@/lib/sms/history";

// GET /messages/export — the Messages page's "Export CSV": the same file as GET /api/v1/sms/messages/unified/export, for the signed-in member.
export async function GET(request: Request) {
  const context = await getPortalContext();
  if (!context) return Response.json({ error: "Sign in to export messages." }, { status: 401 });
  if (mustSetUpTwoFactor(context)) return Response.json({ error: "Turn on two-factor authentication first." }, { status: 403 });
  if (!hasPortalRight(context.role, "traffic.page")) return Response.json({ error: "Not found." }, { status: 404 });
  const params: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) params[name] ??= value;
  const parsed = exportQuery.safeParse(params);
  if (!parsed.success) return Response.json({ error: "Check the filters.", fields: queryErrors(parsed.error.issues) }, { status: 400 });
  const scope = { workspaceId: context.workspaceId, mode: await readTrafficMode() };
  return new Response(await exportCsv(await getDb(), scope, parsed.data), { headers: exportHeaders(parsed.data.range) });
}
