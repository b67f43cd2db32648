import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The layering rule (eslint.config.mjs) fails `npm test` when an import runs up
// the layers. A rule that cannot resolve "@/…" paths would pass everything in
// silence, so these cases check that it still sees each kind of violation.
// (import/no-cycle reads the files it follows, and these probes exist only as text.)
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: { rules: { "import/no-cycle": "off" } } });

async function errorsOf(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

describe("the layering check", () => {
  it.each([
    ["a domain importing the API layer", "lib/sms/probe.ts", 'import { ApiError } from "@/lib/api/errors";\nexport const x = ApiError;\n'],
    [
      "a domain importing the job runtime",
      "lib/webhooks/probe.ts",
      'import { getJobs } from "@/lib/runtime/jobs";\nexport const x = getJobs;\n',
    ],
    [
      "a domain importing the portal's session",
      "lib/keys/probe.ts",
      'import { getSession } from "@/lib/portal/session";\nexport const x = getSession;\n',
    ],
    [
      "a leaf importing a domain",
      "lib/context/probe.ts",
      'import { recordAudit } from "@/lib/audit/record";\nexport const x = recordAudit;\n',
    ],
    ["db/ importing the seed", "db/probe.ts", 'import { seedIfEmpty } from "./seed";\nexport const x = seedIfEmpty;\n'],
    [
      "db/ importing a domain",
      "db/schema/probe.ts",
      'import { hashPassword } from "@/lib/auth/password";\nexport const x = hashPassword;\n',
    ],
    [
      "the runtime importing the API layer",
      "lib/runtime/probe.ts",
      'import { getApiRuntime } from "@/lib/api/runtime";\nexport const x = getApiRuntime;\n',
    ],
    ["a component importing the database", "components/probe.tsx", 'import { getDb } from "@/db";\nexport const x = getDb;\n'],
    ["a page querying tables", "app/probe/page.tsx", 'import { workspaces } from "@/db/schema";\nexport const x = workspaces;\n'],
  ])("refuses %s", async (_, filePath, code) => {
    expect(await errorsOf(filePath, code)).toContain("import/no-restricted-paths");
  });

  it('refuses a "use server" file outside lib/portal/server-actions', async () => {
    expect(await errorsOf("lib/workspaces/probe.ts", '"use server";\nexport async function a() {}\n')).toContain("no-restricted-syntax");
  });

  it("refuses a domain reading the request through next/headers", async () => {
    const code = 'import { headers } from "next/headers";\nexport const x = headers;\n';
    expect(await errorsOf("lib/sms/probe.ts", code)).toContain("no-restricted-imports");
  });

  it("allows imports down the layers", async () => {
    const code = [
      'import { ServiceError } from "@/lib/errors/service-error";',
      'import { recordAudit } from "@/lib/audit/record";',
      'import { getDb } from "@/db";',
      "export const x = [ServiceError, recordAudit, getDb];",
      "",
    ].join("\n");
    expect(await errorsOf("lib/keys/probe.ts", code)).toEqual([]);
  });
});
