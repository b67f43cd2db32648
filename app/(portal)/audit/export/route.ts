import { getDb } from "@/db";
import { auditExportHeaders, exportAuditCsv } from "@/lib/audit/export";
import { auditQuerySchema } from "@/lib/audit/query";
import { hasPortalRight } from "@/lib/permissions/catalog";
import { queryErrors } from "@/lib/portal/search-params";
import { getPortalContext, mustSetUpTwoFactor } from "@/lib/portal/session";

// GET /audit/export — the Audit log page's "Export CSV": every event of the organization the page's filters select, streamed.
export async function GET(request: Request) {
  const context = await getPortalContext();
  if (!context) return Response.json({ error: "Sign in to export the audit log." }, { status: 401 });
  if (mustSetUpTwoFactor(context)) return Response.json({ error: "Turn on two-factor authentication first." }, { status: 403 });
  if (!hasPortalRight(context.role, "audit.page")) return Response.json({ error: "Not found." }, { status: 404 });
  const params: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) params[name] ??= value;
  const parsed = auditQuerySchema.safeParse(params);
  if (!parsed.success) return Response.json({ error: "Check the filters.", fields: queryErrors(parsed.error.issues) }, { status: 400 });
  return new Response(await exportAuditCsv(await getDb(), context.organization.id, parsed.data), { headers: auditExportHeaders() });
}
