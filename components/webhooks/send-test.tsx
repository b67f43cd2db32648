"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { sendWebhookTestAction } from "@/lib/portal/server-actions/webhooks";
import type { TestEventResult } from "@/lib/webhooks/test-event";

/** "Send test": a sample delivery event to the saved Delivery URL now, and how the receiver answered. */
export function SendTest({ hasUrl }: { hasUrl: boolean }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestEventResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send() {
    setBusy(true);
    setError(null);
    const answer = await sendWebhookTestAction();
    setBusy(false);
    if (answer.ok) setResult(answer.data);
    else {
      setResult(null);
      setError(answer.error);
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={send} disabled={busy}>
          {busy ? "Sending…" : "Send test"}
        </Button>
        <p className="text-sm text-slate-600">
          {hasUrl ? "Sends a sample delivery event, signed like real ones, to the saved Delivery URL." : "Save a Delivery URL first."}
        </p>
      </div>
      <div role="status" aria-live="polite">
        {error ? <p className="rounded-md bg-red-50 p-3 text-sm text-red-800">{error}</p> : null}
        {result ? <TestAnswer result={result} /> : null}
      </div>
    </div>
  );
}

function TestAnswer({ result }: { result: TestEventResult }) {
  return (
    <section aria-label="Receiver's answer" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={result.success ? "green" : "red"}>{result.success ? "Succeeded" : "Failed"}</Badge>
        <span className="font-medium text-slate-900">
          {result.responseStatus !== null ? `HTTP ${result.responseStatus}` : "No response"} in {result.durationMs} ms
        </span>
      </div>
      <dl className="mt-2 grid gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-600">Sent to</dt>
        <dd className="min-w-0 font-mono text-xs break-all">{result.url}</dd>
        <dt className="text-slate-600">Message ID</dt>
        <dd className="min-w-0 font-mono text-xs break-all">{result.messageId}</dd>
        {result.error ? (
          <>
            <dt className="text-slate-600">Error</dt>
            <dd className="text-red-800">{result.error}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">Response body</dt>
        <dd className="min-w-0">
          {result.responseExcerpt ? (
            <code className="block rounded bg-white px-2 py-1 text-xs break-all whitespace-pre-wrap ring-1 ring-slate-200">
              {result.responseExcerpt}
            </code>
          ) : (
            <span className="text-slate-600">Empty</span>
          )}
        </dd>
      </dl>
    </section>
  );
}
