import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apiErrorFromZod, parseWith } from "@/lib/api/guard/parse-input";
import { ApiError, type ApiErrorCode } from "@/lib/api/errors";
import { sendBodySchema, validateSendBody, type SendBody } from "./send-input";

const GOOD = { to: ["+441234567890"], message: "Hello", sender_id: "Acme" };
const GSM_10_SEGMENTS = "a".repeat(10 * 153); // 1530
const GSM_11_SEGMENTS = "a".repeat(10 * 153 + 1); // 1531
const numbers = (n: number) => Array.from({ length: n }, (_, i) => `+4479${String(i).padStart(8, "0")}`);

function refusal(body: unknown): { code: ApiErrorCode; description: string } {
  const r = validateSendBody(body);
  if (r.ok) throw new Error(`expected ${JSON.stringify(body)?.slice(0, 200)} to be refused`);
  return { code: r.code, description: r.description };
}
const codeOf = (body: unknown) => refusal(body).code;

function accepted(body: unknown): SendBody {
  const r = validateSendBody(body);
  if (!r.ok) throw new Error(`expected acceptance, got ${r.code}: ${r.description}`);
  return r.value;
}

describe("validateSendBody: success", () => {
  it("outputs recipients with countries, the message, sender id, encoding and segments", () => {
    expect(accepted({ to: ["+441234567890", "+14155551234"], message: "Hello", sender_id: "Acme" })).toEqual({
      to: [
        { e164: "+441234567890", country: "GB" },
        { e164: "+14155551234", country: "US" },
      ],
      message: "Hello",
      senderId: "Acme",
      encoding: "GSM-7",
      segments: 1,
    });
  });

  it("counts UCS-2 segments", () => {
    expect(accepted({ ...GOOD, message: "Привет" })).toMatchObject({ encoding: "UCS-2", segments: 1 });
  });

  it("keeps duplicate recipients, each one a recipient", () => {
    expect(accepted({ ...GOOD, to: ["+441234567890", "+441234567890"] }).to).toHaveLength(2);
  });

  it("accepts exactly 100 recipients", () => {
    expect(accepted({ ...GOOD, to: numbers(100) }).to).toHaveLength(100);
  });

  it("accepts the sandbox's magic numbers", () => {
    const to = ["+15005550001", "+15005550002", "+15005550003", "+15005550004"];
    expect(accepted({ ...GOOD, to }).to.map((r) => r.country)).toEqual(["US", "US", "US", "US"]);
  });

  it("ignores unknown fields", () => {
    expect(accepted({ ...GOOD, callback_url: "https://example.com" }).senderId).toBe("Acme");
  });
});

describe("validateSendBody: body", () => {
  it.each([null, [], "x", 1, true, undefined])("refuses %j with INVALID_BODY", (body) => {
    expect(codeOf(body)).toBe("INVALID_BODY");
  });
});

describe("validateSendBody: to", () => {
  it.each([
    ["missing", { message: "Hello", sender_id: "Acme" }],
    ["null", { ...GOOD, to: null }],
    ["a string, not an array", { ...GOOD, to: "+441234567890" }],
    ["empty", { ...GOOD, to: [] }],
    ["an object", { ...GOOD, to: { 0: "+441234567890" } }],
  ])("refuses a `to` that is %s with INVALID_TO", (_, body) => {
    expect(codeOf(body)).toBe("INVALID_TO");
  });

  it("refuses a non-string entry, naming index 0", () => {
    expect(refusal({ ...GOOD, to: [123] })).toEqual({ code: "INVALID_TO", description: "to[0] is not an E.164 number: 123" });
  });

  it("names the first bad index", () => {
    expect(refusal({ ...GOOD, to: ["+441234567890", 5] })).toEqual({ code: "INVALID_TO", description: "to[1] is not an E.164 number: 5" });
    expect(refusal({ ...GOOD, to: ["+441234567890", "+441234567890", "+14155551234", "+44 20", "nope"] })).toEqual({
      code: "INVALID_TO",
      description: 'to[3] is not an E.164 number: "+44 20"',
    });
  });

  it("refuses numbers with spaces or without the plus", () => {
    expect(refusal({ ...GOOD, to: ["+44 20 7946 0958"] })).toEqual({
      code: "INVALID_TO",
      description: 'to[0] is not an E.164 number: "+44 20 7946 0958"',
    });
    expect(refusal({ ...GOOD, to: ["441234567890"] }).code).toBe("INVALID_TO");
  });

  it("refuses E.164-shaped numbers that cannot exist", () => {
    expect(codeOf({ ...GOOD, to: ["+12345678"] })).toBe("INVALID_TO");
    expect(codeOf({ ...GOOD, to: ["+999123456789"] })).toBe("INVALID_TO");
  });

  it("cuts a long bad entry short in the description", () => {
    const { description } = refusal({ ...GOOD, to: ["x".repeat(10_000)] });
    expect(description.length).toBeLessThan(80);
  });
});

describe("validateSendBody: too many recipients", () => {
  it("refuses 101 recipients with TOO_MANY_RECIPIENTS", () => {
    expect(refusal({ ...GOOD, to: numbers(101) })).toEqual({
      code: "TOO_MANY_RECIPIENTS",
      description: "to has 101 numbers; at most 100 are allowed per request",
    });
  });
});

describe("validateSendBody: message", () => {
  it.each([
    ["missing", { to: GOOD.to, sender_id: "Acme" }],
    ["null", { ...GOOD, message: null }],
    ["a number", { ...GOOD, message: 42 }],
    ["empty", { ...GOOD, message: "" }],
    ["whitespace only", { ...GOOD, message: " \n\t " }],
  ])("refuses a message that is %s with INVALID_MESSAGE", (_, body) => {
    expect(codeOf(body)).toBe("INVALID_MESSAGE");
  });

  it("accepts exactly 10 segments (1530 GSM-7 characters)", () => {
    expect(accepted({ ...GOOD, message: GSM_10_SEGMENTS })).toMatchObject({ encoding: "GSM-7", segments: 10 });
  });

  it("refuses 1531 GSM-7 characters (11 segments) with MESSAGE_TOO_LONG", () => {
    expect(refusal({ ...GOOD, message: GSM_11_SEGMENTS })).toEqual({
      code: "MESSAGE_TOO_LONG",
      description: "message needs 11 GSM-7 segments; at most 10 are allowed",
    });
  });

  it("counts UCS-2 length: 670 units pass, 671 do not", () => {
    expect(accepted({ ...GOOD, message: "ж".repeat(670) }).segments).toBe(10);
    expect(codeOf({ ...GOOD, message: "ж".repeat(671) })).toBe("MESSAGE_TOO_LONG");
  });
});

describe("validateSendBody: sender_id", () => {
  it.each([
    ["missing", { to: GOOD.to, message: "Hello" }],
    ["null", { ...GOOD, sender_id: null }],
    ["empty", { ...GOOD, sender_id: "" }],
    ["a number", { ...GOOD, sender_id: 12345 }],
    ["too short", { ...GOOD, sender_id: "AB" }],
    ["12 characters", { ...GOOD, sender_id: "ABCDEFGHIJKL" }],
    ["starting with a digit", { ...GOOD, sender_id: "1ABC" }],
    ["with a dash", { ...GOOD, sender_id: "Acme-1" }],
    ["E.164 with spaces", { ...GOOD, sender_id: "+1 415 555 1234" }],
  ])("refuses a sender_id that is %s with INVALID_SENDER", (_, body) => {
    expect(codeOf(body)).toBe("INVALID_SENDER");
  });

  it.each(["Acme", "ABC", "Acme2024ABC", "+14155551234"])("accepts %j", (senderId) => {
    expect(accepted({ ...GOOD, sender_id: senderId }).senderId).toBe(senderId);
  });
});

describe("validateSendBody: the order is fixed", () => {
  it("bad to + empty message + bad sender → INVALID_TO", () => {
    expect(codeOf({ to: ["+44 20"], message: "", sender_id: "1ABC" })).toBe("INVALID_TO");
  });

  it("missing to + missing message + missing sender → INVALID_TO", () => {
    expect(codeOf({})).toBe("INVALID_TO");
  });

  it("101 recipients including a bad one + bad sender → TOO_MANY_RECIPIENTS", () => {
    const to = numbers(101);
    to[3] = "+44 20";
    expect(codeOf({ to, message: "Hello", sender_id: "1ABC" })).toBe("TOO_MANY_RECIPIENTS");
  });

  it("101 recipients + empty message → TOO_MANY_RECIPIENTS", () => {
    expect(codeOf({ to: numbers(101), message: "" })).toBe("TOO_MANY_RECIPIENTS");
  });

  it("good to + empty message + bad sender → INVALID_MESSAGE", () => {
    expect(codeOf({ to: GOOD.to, message: "", sender_id: "1ABC" })).toBe("INVALID_MESSAGE");
  });

  it("good to/message but 11 segments + bad sender → MESSAGE_TOO_LONG", () => {
    expect(codeOf({ to: GOOD.to, message: GSM_11_SEGMENTS, sender_id: "1ABC" })).toBe("MESSAGE_TOO_LONG");
  });

  it("all fine but sender 1ABC → INVALID_SENDER", () => {
    expect(codeOf({ ...GOOD, sender_id: "1ABC" })).toBe("INVALID_SENDER");
  });
});

describe("validateSendBody: property", () => {
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });
  const realLooking = fc.oneof(
    digits(9).map((d) => `+447${d}`), // UK mobile
    digits(7).map((d) => `+1415${d}`), // San Francisco
    digits(8).map((d) => `+49151${d}`), // German mobile
  );

  it("any 1–100 real-looking E.164 numbers pass the `to` checks, in order", () => {
    fc.assert(
      fc.property(fc.array(realLooking, { minLength: 1, maxLength: 100 }), (to) => {
        const r = validateSendBody({ ...GOOD, to });
        if (!r.ok) throw new Error(`${r.code}: ${r.description}`);
        expect(r.value.to.map((x) => x.e164)).toEqual(to);
        for (const x of r.value.to) expect(x.country).not.toBeNull();
      }),
    );
  });

  it("a bad entry anywhere in 1–100 numbers is INVALID_TO naming its index", () => {
    fc.assert(
      fc.property(
        fc.array(realLooking, { minLength: 1, maxLength: 100 }),
        fc.nat(),
        fc.constantFrom("+44 20", "441234567890", "", "+0123456789", "+12345678"),
        (to, at, bad) => {
          const i = at % to.length;
          to[i] = bad;
          expect(refusal({ ...GOOD, to })).toEqual({
            code: "INVALID_TO",
            description: `to[${i}] is not an E.164 number: ${JSON.stringify(bad)}`,
          });
        },
      ),
    );
  });
});

describe("sendBodySchema", () => {
  it("outputs the validated body", () => {
    const out = sendBodySchema.parse(GOOD);
    expect(out).toEqual({
      to: [{ e164: "+441234567890", country: "GB" }],
      message: "Hello",
      senderId: "Acme",
      encoding: "GSM-7",
      segments: 1,
    });
  });

  it.each([
    [{ ...GOOD, to: ["+441234567890", 5] }, "INVALID_TO", "to[1] is not an E.164 number: 5"],
    [{ ...GOOD, to: numbers(101) }, "TOO_MANY_RECIPIENTS", "to has 101 numbers; at most 100 are allowed per request"],
    [{ ...GOOD, message: " " }, "INVALID_MESSAGE", "message must not be empty"],
    [{ ...GOOD, message: GSM_11_SEGMENTS }, "MESSAGE_TOO_LONG", "message needs 11 GSM-7 segments; at most 10 are allowed"],
    [{ ...GOOD, sender_id: "" }, "INVALID_SENDER", "sender_id is required"],
    [[], "INVALID_BODY", "The body must be a JSON object"],
  ] as const)("fails with one issue the guard turns into the code (%#)", (body, code, description) => {
    const result = sendBodySchema.safeParse(body);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues).toHaveLength(1);
    const error = apiErrorFromZod(result.error, "INVALID_BODY");
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(400);
    expect(error.message).toBe(description);
  });

  it("throws the ApiError through parseWith", () => {
    expect(() => parseWith(sendBodySchema, { ...GOOD, sender_id: "Acme-1" }, "INVALID_BODY")).toThrow(
      expect.objectContaining({ code: "INVALID_SENDER" }),
    );
  });
});
