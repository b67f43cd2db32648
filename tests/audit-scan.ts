/**
 * Finds the service mutations in the source, for lib/audit/completeness.test.ts:
 * every exported function under lib/ that takes an ActorContext or PortalContext
 * and writes to the database, or that writes an audit event (sign-in), directly
 * or through functions it calls (followed across modules by their imports).
 * A static scan with the TypeScript parser: nobody has to remember to list a
 * new mutation for it to be found.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export type ScannedFunction = {
  /** "lib/keys/service.ts#createKey" */
  id: string;
  exported: boolean;
  takesContext: boolean;
  writes: boolean;
  audits: boolean;
};

type Node = {
  id: string;
  exported: boolean;
  takesContext: boolean;
  directWrite: boolean;
  directAudit: boolean;
  calls: Set<string>;
};

const CONTEXT_TYPE = /\b(ActorContext|PortalContext)\b/;
const AUDIT_WRITERS = new Set(["recordAudit", "recordAuditIn"]);
const WRITE_METHODS = new Set(["insert", "update", "delete"]);
/** `.update(` of a hash or an HMAC is no database write. */
const NOT_A_DATABASE = /create(Hash|Hmac)|\bhash\b|\bhmac\b|digest/i;

/** Every .ts file under `dir` (relative to `root`), tests and declarations excepted. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const child = path.posix.join(rel, name);
      if (statSync(path.join(root, child)).isDirectory()) walk(child);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

function resolveImport(root: string, from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.join(path.posix.dirname(from), specifier);
  else return null;
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base]) {
    if (existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) return candidate;
  }
  return null;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Scans `files` (paths relative to `root`) and answers each top-level function's facts, writes and audits followed through calls. */
export function scanFunctions(root: string, files: string[]): ScannedFunction[] {
  const nodes = new Map<string, Node>();

  for (const file of files) {
    const text = readFileSync(path.join(root, file), "utf8");
    const source = ts.createSourceFile(
      file,
      text,
      ts.ScriptTarget.Latest,
      true,
      file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    // The names a call in this file may mean: its own top-level functions and what it imports.
    const names = new Map<string, string>();
    const functions: Array<{ name: string; exported: boolean; fn: ts.SignatureDeclaration & { body?: ts.Node } }> = [];

    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const target = resolveImport(root, file, statement.moduleSpecifier.text);
        const bindings = statement.importClause?.namedBindings;
        if (target && bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) names.set(element.name.text, `${target}#${(element.propertyName ?? element.name).text}`);
        }
      } else if (ts.isFunctionDeclaration(statement) && statement.name) {
        functions.push({ name: statement.name.text, exported: isExported(statement), fn: statement });
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer;
          if (ts.isIdentifier(declaration.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
            functions.push({ name: declaration.name.text, exported: isExported(statement), fn: init });
          }
        }
      }
    }
    for (const { name } of functions) names.set(name, `${file}#${name}`);

    for (const { name, exported, fn } of functions) {
      const node: Node = {
        id: `${file}#${name}`,
        exported,
        takesContext: fn.parameters.some((p) => p.type !== undefined && CONTEXT_TYPE.test(p.type.getText(source))),
        directWrite: false,
        directAudit: false,
        calls: new Set(),
      };
      const visit = (n: ts.Node) => {
        if (ts.isCallExpression(n)) {
          const callee = n.expression;
          if (ts.isIdentifier(callee)) {
            if (AUDIT_WRITERS.has(callee.text)) node.directAudit = true;
          } else if (ts.isPropertyAccessExpression(callee) && WRITE_METHODS.has(callee.name.text)) {
            if (!NOT_A_DATABASE.test(callee.expression.getText(source))) node.directWrite = true;
          }
        }
        // Any mention counts as a call: functions passed along (map(fn), transaction(fn)) run too.
        if (ts.isIdentifier(n) && names.has(n.text)) node.calls.add(names.get(n.text)!);
        ts.forEachChild(n, visit);
      };
      if (fn.body) visit(fn.body);
      nodes.set(node.id, node);
    }
  }

  const memo = new Map<string, { writes: boolean; audits: boolean }>();
  const facts = (id: string, seen: Set<string>): { writes: boolean; audits: boolean } => {
    const known = memo.get(id);
    if (known) return known;
    const node = nodes.get(id);
    if (!node || seen.has(id)) return { writes: false, audits: false };
    seen.add(id);
    let writes = node.directWrite || node.directAudit;
    let audits = node.directAudit;
    for (const callee of node.calls) {
      if (callee === id) continue;
      const f = facts(callee, seen);
      writes ||= f.writes;
      audits ||= f.audits;
    }
    seen.delete(id);
    const result = { writes, audits };
    if (seen.size === 0) memo.set(id, result);
    return result;
  };

  return [...nodes.values()].map((node) => ({
    id: node.id,
    exported: node.exported,
    takesContext: node.takesContext,
    ...facts(node.id, new Set()),
  }));
}

/**
 * The functions the completeness test must see audited: exported, outside
 * lib/audit (the recorder itself), and either a mutation in someone's context
 * (takes an ActorContext/PortalContext and writes) or a writer of audit events.
 */
export function findMutations(root: string, files: string[]): string[] {
  return scanFunctions(root, files)
    .filter((f) => f.exported && !f.id.startsWith("lib/audit/") && ((f.takesContext && f.writes) || f.audits))
    .map((f) => f.id)
    .sort();
}
