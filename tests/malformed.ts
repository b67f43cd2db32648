/**
 * fast-check arbitraries for malformed requests to /api/v1, derived from the
 * OpenAPI document (lib/api/openapi.ts, itself generated from the operations'
 * zod schemas): for each operation, its methods, path parameters, query
 * parameters and body fields, each valid, at its edges, just past them, of the
 * wrong type, or hostile (NUL, unpaired surrogates, huge, deeply nested,
 * invalid UTF-8, bad percent-escapes). Used by lib/api/malformed.fuzz.test.ts.
 */
import fc from "fast-check";
import type { RawRequest } from "./api-dispatch";

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  example?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
};
type Parameter = { in: "query" | "path"; name: string; schema: JsonSchema };
type OperationDoc = { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses: object };
export type OpenApiDoc = { paths: Record<string, Record<string, OperationDoc>>; components: { schemas: Record<string, JsonSchema> } };

/** How the request authenticates: the fuzz test maps each to a key (or none) and says which are valid. */
export const KEY_CHOICES = [
  "test",
  "live-read",
  "other-workspace",
  "hmac",
  "missing",
  "garbage",
  "unknown",
  "revoked",
  "disabled",
] as const;
export type KeyChoice = (typeof KEY_CHOICES)[number];
export const SIGNATURES = ["valid", "missing", "garbage", "stale"] as const;
export type Signature = (typeof SIGNATURES)[number];

/** What the fuzz test fills in per run: the keys, ids of things that exist, and URLs that answer at once. */
export type FuzzWorld = {
  doc: OpenApiDoc;
  /** Values a path parameter may take that name something real (another workspace's included). */
  knownIds: Record<string, string[]>;
  /** Webhook and postback URLs that answer at once (a local receiver), the only valid URLs generated. */
  receiverUrls: string[];
};

/** One generated case: the request without its key, which the test adds (`key`, `signature`). */
export type FuzzCase = {
  operation: string;
  method: string;
  url: string;
  headers: [string, string][];
  body?: string | Uint8Array;
  key: KeyChoice;
  /** The X-API-Key value when `key` is "garbage". */
  garbageKey: string;
  signature: Signature;
  address: string;
};

// ── Text ───────────────────────────────────────────────────────────────

const utf16Unit = fc.nat(0xffff).map((c) => String.fromCharCode(c));
/** Any UTF-16 string: NUL, control characters, unpaired surrogates included. */
const anyText = (maxLength = 40) => fc.string({ unit: utf16Unit, maxLength });
const huge = (min: number, max: number) =>
  fc
    .tuple(fc.constantFrom("x", "é", "😀", "\u0000", "%", "\\"), fc.integer({ min, max }))
    .map(([c, n]) => c.repeat(Math.ceil(n / c.length)));

/** Strings Postgres, JSON, URLs or spreadsheets treat specially. */
const hostileText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff",
    "x\ud83d",
    "😀",
    "\u202e",
    "\r\n",
    "=cmd|' /C calc'!A0",
    "'; drop table messages; --",
    "%",
    "%zz",
    "%00",
    "\\",
    "../../etc/passwd",
    "null",
    "NaN",
    "-0",
    "1e309",
    "0x10",
    "true",
    "[]",
    "{}",
  ),
  anyText(),
  huge(200, 5000),
);

/** Any JSON value a field might receive instead of what it wants. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileText,
    fc.constantFrom(null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, 101, 100, 1),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(anyText(8), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A string as a request target carries it: percent-encoded UTF-8, an unpaired surrogate as its 3 bytes (WTF-8). */
export function percentEncode(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => "%" + b.toString(16).toUpperCase())
        .join("");
    } else out += encodeURIComponent(char).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  }
  return out;
}

/** Escapes no decoder accepts, and bytes that are not UTF-8. */
const badEscape = fc.constantFrom("%zz", "%", "%4", "%E2%82", "%ED%A0%80", "%ED%BF%BF", "%FF", "%C0%AF", "%F4%90%80%80", "%%", "%u0041");

// ── Values from the schemas ────────────────────────────────────────────

function resolve(doc: OpenApiDoc, schema: JsonSchema): JsonSchema {
  return schema.$ref ? doc.components.schemas[schema.$ref.split("/").pop()!] : schema;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayArb = fc
  .integer({ min: -400, max: 400 })
  .map((n) => isoDay(new Date(Date.now() + n * 86_400_000)))
  .chain((day) =>
    fc.constantFrom(
      day,
      "2000-01-01",
      "1999-12-31",
      "1970-01-01",
      "0000-01-01",
      "9999-12-31",
      "2026-02-29",
      "2024-02-29",
      "2026-13-01",
      "2026-1-5",
      "26-01-05",
    ),
  );
const dateTimeArb = fc.oneof(
  fc.integer({ min: -10, max: 4000 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
  fc.constantFrom(
    "9999-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2030-01-01T00:00:00+14:00",
    "2030-01-01",
    "tomorrow",
  ),
);

/**
 * Values a field of this schema might receive. "valid": what the schema
 * accepts (its examples, enum values, in-range numbers, the real ids the test
 * knows), so a request gets past this field to the next check; "edge": valid
 * values mixed with its edges and just past them (min − 1, max + 1, one
 * character too many, an enum value in the wrong case, a day out of range).
 */
export function fieldValues(
  doc: OpenApiDoc,
  raw: JsonSchema,
  world: FuzzWorld,
  name = "",
  mode: "valid" | "edge" = "edge",
): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const edge = (valid: fc.Arbitrary<unknown>, ...edges: fc.Arbitrary<unknown>[]) =>
    mode === "valid" ? valid : fc.oneof({ arbitrary: valid, weight: 2 }, ...edges.map((arbitrary) => ({ arbitrary, weight: 1 })));
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fieldValues(doc, s, world, name, mode)));
  if (name.endsWith("url"))
    return edge(
      fc.constantFrom(...world.receiverUrls),
      fc.constantFrom(null, "", "ftp://127.0.0.1/x", "http://", "not a url"),
      hostileText,
    );
  if (schema.enum) {
    const values = fc.constantFrom(...(schema.enum as string[]));
    return edge(
      values,
      values.map((v) => String(v).toUpperCase()),
      values.map((v) => ` ${v}`),
    );
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "integer":
    case "number": {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? 1000, 2 ** 53 - 1);
      return edge(
        fc.integer({ min, max: Math.min(max, min + 1000) }),
        fc.constantFrom(min, max, min - 1, max + 1, 0, -1, 1.5, 2 ** 53, 1e308),
      );
    }
    case "boolean":
      return fc.boolean();
    case "array": {
      const items = schema.items ? fieldValues(doc, schema.items, world, "", mode) : hostileJson;
      const over = (schema.maxItems ?? 100) + 1;
      return edge(
        fc.array(items, { minLength: Math.max(1, schema.minItems ?? 0), maxLength: 3 }),
        fc.constant([]),
        items.map((item) => Array.from({ length: over }, () => item)),
      );
    }
    case "object":
      return objectValues(doc, schema, world, mode);
    case "string":
    default: {
      if (schema.format === "date")
        return edge(
          dayArb.filter((d) => d >= "2000-01-01" && d <= isoDay(new Date())),
          dayArb,
        );
      if (schema.format === "date-time")
        return edge(
          dateTimeArb.filter((d) => d > new Date().toISOString() && d < "2100"),
          dateTimeArb,
        );
      const max = schema.maxLength ?? 64;
      const examples = [schema.example, ...(world.knownIds[name] ?? [])].filter((v): v is string => typeof v === "string");
      const plain = fc.string({
        unit: fc.constantFrom(..."abcXYZ019 _-"),
        minLength: Math.max(1, schema.minLength ?? 0),
        maxLength: Math.min(max, 20),
      });
      return edge(examples.length ? fc.constantFrom(...examples) : plain, plain, fc.constant("x".repeat(max + 1)), fc.constant(""));
    }
  }
}

/** An object of the schema: its required fields and some optional ones. */
function objectValues(
  doc: OpenApiDoc,
  schema: JsonSchema,
  world: FuzzWorld,
  mode: "valid" | "edge",
): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  return fc.record(Object.fromEntries(properties.map(([name, s]) => [name, fieldValues(doc, s, world, name, mode)])), {
    requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)),
  }) as fc.Arbitrary<Record<string, unknown>>;
}

// ── Requests ───────────────────────────────────────────────────────────

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
const methodArb = (own: string) =>
  fc.oneof(
    { arbitrary: fc.constant(own), weight: 24 },
    { arbitrary: fc.constantFrom(...METHODS), weight: 3 },
    { arbitrary: fc.constantFrom("OPTIONS", "TRACE", "PROPFIND", "SEARCH", "REPORT", "M-SEARCH", "PURGE", "CONNECT", "LOCK"), weight: 2 },
    { arbitrary: fc.constantFrom(own.toLowerCase(), "get", "Post", "FOO", "G E T", "X".repeat(300)), weight: 1 },
  );

/** A path parameter as it appears in the path: a real id, a plausible one, or anything at all. */
function pathSegment(doc: OpenApiDoc, parameter: Parameter | undefined, world: FuzzWorld): fc.Arbitrary<string> {
  const values = parameter ? fieldValues(doc, parameter.schema, world, parameter.name) : hostileText;
  return fc.oneof(
    { arbitrary: values.map((v) => percentEncode(String(v))), weight: 6 },
    { arbitrary: hostileText.map(percentEncode), weight: 3 },
    { arbitrary: badEscape, weight: 2 },
    { arbitrary: fc.constantFrom("..", "%2e%2e", "..%2f..%2fuser%2fbalance", "%2F", "."), weight: 1 },
    { arbitrary: huge(2000, 9000).map(percentEncode), weight: 1 },
  );
}

/** The path of an operation, its parameters filled in, sometimes bent (a trailing slash, an extra or missing segment). */
function pathArb(doc: OpenApiDoc, template: string, parameters: Parameter[], world: FuzzWorld): fc.Arbitrary<string> {
  const parts = template.split("/").slice(1);
  const segments = parts.map((part) =>
    part.startsWith("{")
      ? pathSegment(
          doc,
          parameters.find((p) => p.in === "path" && `{${p.name}}` === part),
          world,
        )
      : fc.constant(part),
  );
  return fc.tuple(fc.tuple(...segments), fc.nat(29), pathSegment(doc, undefined, world)).map(([filled, bend, extra]) => {
    const path = "/api/v1/" + filled.join("/");
    if (bend === 0) return path + "/";
    if (bend === 1) return path + "/" + extra;
    if (bend === 2) return path.replace("/api/v1/", "/api/v1//");
    return path;
  });
}

/** A query: documented parameters (valid, edge, hostile, repeated), unknown ones, and raw malformed fragments. */
function queryArb(doc: OpenApiDoc, parameters: Parameter[], world: FuzzWorld): fc.Arbitrary<string> {
  const query = parameters.filter((p) => p.in === "query");
  const names = query.map((p) => p.name);
  const pair = fc.oneof(
    ...query.map((p) =>
      fc.tuple(
        fc.constant(p.name),
        fc.oneof(
          { arbitrary: fieldValues(doc, p.schema, world, p.name, "valid").map(String), weight: 6 },
          { arbitrary: fieldValues(doc, p.schema, world, p.name, "edge").map(String), weight: 2 },
          { arbitrary: hostileText, weight: 1 },
        ),
      ),
    ),
    fc.tuple(fc.constantFrom("utm_source", "Page", "page[]", "", ...names), hostileText),
  );
  const encoded = pair.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`);
  const fragment = fc.oneof(
    { arbitrary: encoded, weight: 8 },
    { arbitrary: fc.tuple(fc.constantFrom(...(names.length ? names : ["x"])), badEscape).map(([n, e]) => `${n}=${e}`), weight: 1 },
    { arbitrary: fc.constantFrom("&", "=", "==", "a=b=c", "%3D%26"), weight: 1 },
  );
  return fc.array(fragment, { maxLength: 5 }).map((list) => (list.length ? "?" + list.join("&") : ""));
}

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/vnd.api+json",
  "application/json; charset=latin1",
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "",
  ";",
  "application/",
];

/** Header values a client can send (Node's parser and fetch's Headers accept them): no NUL, CR or LF. */
const headerValue = (maxLength = 60) =>
  fc.string({
    unit: fc
      .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(9))
      .map((c) => String.fromCharCode(c)),
    maxLength,
  });

/** A body: the operation's own (valid, at its edges, or valid but for one hostile field), another JSON shape, or not JSON at all. */
function bodyArb(doc: OpenApiDoc, schema: JsonSchema | undefined, world: FuzzWorld): fc.Arbitrary<string | Uint8Array | undefined> {
  const json = (value: unknown) => JSON.stringify(value);
  const resolved = resolve(doc, schema ?? {});
  const valid = schema ? objectValues(doc, resolved, world, "valid") : fc.constant({} as Record<string, unknown>);
  const edges = schema ? objectValues(doc, resolved, world, "edge") : fc.constant({} as Record<string, unknown>);
  const fields = Object.keys(resolved.properties ?? {});
  const bent = fc
    .tuple(valid, fc.constantFrom(...(fields.length ? fields : ["x"]), "unknown_field", "__proto__", "constructor"), hostileJson)
    .map(([body, name, value]) => json({ ...body, [name]: value }));
  return fc.oneof(
    { arbitrary: valid.map(json), weight: 4 },
    { arbitrary: edges.map(json), weight: 4 },
    { arbitrary: bent, weight: 8 },
    { arbitrary: hostileJson.map(json), weight: 2 },
    {
      arbitrary: fc.constantFrom(
        "",
        " ",
        "{",
        "{}",
        "[]",
        "null",
        '"\\u0000"',
        '{"a":1,}',
        "{'a':1}",
        "a=1&b=2",
        "<xml/>",
        '{"to": ["+447400123456"], "message": "\\u0000", "sender_id": "Acme"}',
        '{"message": "\\ud800", "to": ["+447400123456"], "sender_id": "Acme"}',
        '{"name": "\\u0000", "permissions": ["*"]}',
      ),
      weight: 2,
    },
    {
      // Nested past any schema's depth: 40 and 10,000 levels.
      arbitrary: fc
        .constantFrom(40, 10_000)
        .chain((depth) =>
          fc.constantFrom(
            `${"[".repeat(depth)}${"]".repeat(depth)}`,
            `{"to":${"[".repeat(depth)}"+447400123456"${"]".repeat(depth)}}`,
            `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
          ),
        ),
      weight: 1,
    },
    {
      arbitrary: fc.integer({ min: 60 * 1024, max: 70 * 1024 }).map((n) => json({ name: "x".repeat(n), message: "x", to: [] })),
      weight: 1,
    },
    {
      // Not UTF-8: a lone continuation byte, an overlong form, an encoded surrogate.
      arbitrary: fc
        .constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82])
        .map((bytes) => Uint8Array.from([...Buffer.from('{"name":"'), ...bytes, ...Buffer.from('","permissions":["*"]}')])),
      weight: 1,
    },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

/** One malformed (or, now and then, well-formed) request to `method template`. */
export function caseArb(world: FuzzWorld, template: string, method: string): fc.Arbitrary<FuzzCase> {
  // The OpenAPI document does not describe itself: /openapi.json has no entry.
  const op: OperationDoc = world.doc.paths[template]?.[method.toLowerCase()] ?? { responses: {} };
  const parameters = op.parameters ?? [];
  const bodySchema = op.requestBody?.content["application/json"]?.schema;
  const keyArb = fc.oneof(
    { arbitrary: fc.constant<KeyChoice>("test"), weight: 30 },
    { arbitrary: fc.constant<KeyChoice>("live-read"), weight: 4 },
    { arbitrary: fc.constant<KeyChoice>("hmac"), weight: 3 },
    { arbitrary: fc.constantFrom<KeyChoice>("other-workspace", "missing", "garbage", "unknown", "revoked", "disabled"), weight: 6 },
  );
  const extraHeaders = fc.array(
    fc.oneof(
      fc.tuple(fc.constant("content-type"), fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerValue())),
      fc.tuple(fc.constant("idempotency-key"), fc.oneof(fc.constantFrom("order-4711", "", " a b ", "x".repeat(300)), headerValue())),
      fc.tuple(fc.constantFrom("accept", "user-agent", "x-workspace-id", "x-forwarded-for", "cookie"), headerValue()),
      fc.tuple(
        fc.constant("x-huge"),
        fc.integer({ min: 1000, max: 8000 }).map((n) => "h".repeat(n)),
      ),
    ),
    { maxLength: 3 },
  );
  return fc
    .record({
      method: methodArb(method),
      path: pathArb(world.doc, template, parameters, world),
      query: queryArb(world.doc, parameters, world),
      body: bodyArb(world.doc, bodySchema, world),
      headers: extraHeaders,
      key: keyArb,
      garbageKey: fc.oneof(
        fc.constantFrom("", " ", "sk_test_", "sk_prod_" + "A".repeat(38), "sk_live_x", "Bearer sk_test_x", "null"),
        headerValue(),
        fc.integer({ min: 1000, max: 8000 }).map((n) => "k".repeat(n)),
      ),
      signature: fc.constantFrom(...SIGNATURES),
      address: fc.array(fc.nat(0xffff), { minLength: 6, maxLength: 6 }).map((g) => `2001:db8:${g.map((n) => n.toString(16)).join(":")}`),
    })
    .map(({ method: m, path, query, body, headers, key, garbageKey, signature, address }) => ({
      operation: `${method} ${template}`,
      method: m,
      url: path + query,
      headers: [["content-type", "application/json"] as [string, string], ...headers].filter(
        // The generated content-type wins over the default.
        ([name], i, all) => name !== "content-type" || i === all.map(([n]) => n).lastIndexOf("content-type"),
      ),
      body,
      key,
      garbageKey,
      signature,
      address,
    }));
}

/** Paths no operation serves: unknown, undecodable, outside the API's shape. */
export function strayCaseArb(): fc.Arbitrary<FuzzCase> {
  const path = fc.oneof(
    fc.constantFrom(
      "/api/v1",
      "/api/v1/",
      "/api/v1/nothing",
      "/api/v1/SMS/send",
      "/api/v1/keys/a/b/c/d",
      "/api/v1/%zz",
      "/api/v1/%ED%A0%80",
    ),
    fc.array(fc.oneof(hostileText.map(percentEncode), badEscape), { minLength: 1, maxLength: 4 }).map((s) => "/api/v1/" + s.join("/")),
  );
  return fc.record({ method: methodArb("GET"), path, address: fc.nat(0xffff) }).map(({ method, path: p, address }) => ({
    operation: "unknown path",
    method,
    url: p,
    headers: [],
    key: "test" as KeyChoice,
    garbageKey: "",
    signature: "valid" as Signature,
    address: `2001:db8:ffff::${address.toString(16)}`,
  }));
}

/** The request a case makes, once the test has picked its key and signature headers. */
export function rawRequest(c: FuzzCase, auth: [string, string][]): RawRequest {
  const contentLength: [string, string][] =
    c.body === undefined ? [] : [["content-length", String(typeof c.body === "string" ? Buffer.byteLength(c.body) : c.body.byteLength)]];
  return { method: c.method, url: c.url, headers: [...c.headers, ...auth, ...contentLength], body: c.body };
}
