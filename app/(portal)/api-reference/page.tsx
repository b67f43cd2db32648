import type { Metadata } from "next";
import { SwaggerView } from "@/components/api-reference/swagger-view";
import { requirePortalContext } from "@/lib/portal/session";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiReferencePage() {
  await requirePortalContext();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">API reference</h1>
        <p className="mt-1 text-sm text-slate-600">
          The SMS API under <code>/api/v1</code>, generated from the same schemas the server validates with. Use <strong>Authorize</strong>{" "}
          with a test key (<code>sk_test_…</code>) to try requests; the raw document is at{" "}
          <a className="text-indigo-800 hover:underline" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>
          .
        </p>
      </div>
      <SwaggerView url="/api/v1/openapi.json" />
    </div>
  );
}
