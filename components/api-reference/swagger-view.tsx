"use client";

import dynamic from "next/dynamic";
import "swagger-ui-react/swagger-ui.css";

// Swagger UI touches `window` on import: load it in the browser only.
const SwaggerUI = dynamic(() => import("swagger-ui-react"), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-600">Loading the API reference…</p>,
});

/** The OpenAPI document rendered for reading, with "Try it out" against this portal's /api/v1. */
export function SwaggerView({ url }: { url: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      <SwaggerUI url={url} docExpansion="list" defaultModelsExpandDepth={0} tryItOutEnabled={false} persistAuthorization={false} />
    </div>
  );
}
