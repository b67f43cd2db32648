import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cidrSchema, isAddressAllowed, isRangeWithin, parseCidr } from "./cidr";

// fc.ipV6() also produces the deprecated `::a.b.c.d` form, which parseCidr refuses on purpose.
const ipV6 = fc.ipV6().filter((a) => !/^::[\d.]+$/.test(a));
const v4Length = fc.integer({ min: 0, max: 32 });
const v6Length = fc.integer({ min: 0, max: 128 });

function ok(input: string): string {
  const r = parseCidr(input);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got: ${r.message}`);
  return r.value;
}
function refusal(input: string): string {
  const r = parseCidr(input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${r.value}`);
  return r.message;
}

describe("parseCidr", () => {
  it("accepts IPv4 and IPv6 CIDRs in normalized form", () => {
    expect(ok("10.0.0.0/8")).toBe("10.0.0.0/8");
    expect(ok("2001:db8::/32")).toBe("2001:db8::/32");
    expect(ok("0.0.0.0/0")).toBe("0.0.0.0/0");
    expect(ok("::/0")).toBe("::/0");
  });

  it("clears host bits so equal ranges have one spelling", () => {
    expect(ok("10.1.2.3/8")).toBe("10.0.0.0/8");
    expect(ok("192.168.1.77/24")).toBe("192.168.1.0/24");
    expect(ok("2001:DB8:0:0:1::5/32")).toBe("2001:db8::/32");
    expect(ok("2001:0db8:0000:0000:0000:0000:0000:0001/128")).toBe("2001:db8::1/128");
  });

  it("turns a bare address into a single-host range", () => {
    expect(ok("10.0.0.1")).toBe("10.0.0.1/32");
    expect(ok("::1")).toBe("::1/128");
  });

  it("trims surrounding whitespace", () => {
    expect(ok("  10.0.0.0/8\n")).toBe("10.0.0.0/8");
    expect(ok("\t2001:db8::/32 ")).toBe("2001:db8::/32");
  });

  it("keeps IPv4-mapped IPv6 ranges as IPv6, with a dotted tail", () => {
    expect(ok("::ffff:10.0.0.0/104")).toBe("::ffff:10.0.0.0/104");
    expect(ok("::ffff:10.1.2.3/104")).toBe("::ffff:10.0.0.0/104");
    expect(ok("::ffff:a01:203")).toBe("::ffff:10.1.2.3/128");
  });

  it("refuses prefix lengths outside the family's range, naming the range", () => {
    expect(refusal("10.0.0.0/33")).toBe("prefix length must be 0–32 for IPv4");
    expect(refusal("::1/129")).toBe("prefix length must be 0–128 for IPv6");
    expect(refusal("10.0.0.0/-1")).toBe("prefix length must be 0–32 for IPv4");
    expect(refusal("10.0.0.0/")).toBe("prefix length must be 0–32 for IPv4");
    expect(refusal("10.0.0.0/8.5")).toBe("prefix length must be 0–32 for IPv4");
    expect(refusal("10.0.0.0/99999999999999999999")).toBe("prefix length must be 0–32 for IPv4");
    expect(refusal("10.0.0.0/08")).toBe("prefix length must be 0–32 for IPv4");
  });

  it("refuses things that are not addresses with a human message", () => {
    for (const input of [
      "abc",
      "10.0.0",
      "10.0.0.0.0",
      "256.0.0.1",
      "1.2.3.4/8/8",
      "10.0.0.0 /8",
      "::ffff::1",
      "12345::",
      "localhost",
      "１０.0.0.1",
    ]) {
      expect(refusal(input), input).toBe("not an IPv4 or IPv6 address or CIDR");
    }
    expect(refusal("")).toMatch(/IPv4 or IPv6/);
    expect(refusal("   ")).toMatch(/IPv4 or IPv6/);
  });

  it("refuses IPv4 spellings whose meaning is ambiguous (leading zeros, hex, short forms)", () => {
    expect(refusal("010.0.0.1")).toMatch(/leading zeros/);
    expect(refusal("10.0.0.01/32")).toMatch(/leading zeros/);
    for (const input of ["0x0a.0.0.1", "10.1", "167772161", "::ffff:010.0.0.1", "::ffff:0x0a.0.0.1"]) {
      expect(parseCidr(input).ok, input).toBe(false);
    }
  });

  it("refuses the deprecated IPv4-compatible form instead of reading it as IPv4-mapped", () => {
    expect(refusal("::10.0.0.1")).toMatch(/deprecated/);
  });

  it("refuses zone ids, which have no meaning in an allowlist", () => {
    expect(refusal("fe80::1%eth0/64")).toMatch(/zone/);
  });

  it("accepts every generated IPv4 and IPv6 CIDR, and its output parses back to itself", () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(fc.ipV4(), v4Length), fc.tuple(ipV6, v6Length)), ([address, length]) => {
        const value = ok(`${address}/${length}`);
        expect(ok(value)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses oversized input up front", () => {
    expect(refusal(`${"0:".repeat(5000)}1.2.3.4`)).toBe("not an IPv4 or IPv6 address or CIDR");
    expect(isAddressAllowed(`fe80::1%${"x".repeat(10_000)}`, ["::/0"])).toBe(false);
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        parseCidr(s);
        parseCidr(`${s}/8`);
        isAddressAllowed(s, ["10.0.0.0/8", "::/0"]);
        isAddressAllowed("10.0.0.1", [s]);
      }),
    );
  });
});

describe("isAddressAllowed", () => {
  it("allows everyone when the list is empty", () => {
    expect(isAddressAllowed("203.0.113.9", [])).toBe(true);
    expect(isAddressAllowed("2001:db8::1", [])).toBe(true);
  });

  it("matches IPv4 and IPv6 addresses against their ranges", () => {
    expect(isAddressAllowed("10.1.2.3", ["10.0.0.0/8"])).toBe(true);
    expect(isAddressAllowed("11.1.2.3", ["10.0.0.0/8"])).toBe(false);
    expect(isAddressAllowed("2001:db8:abcd::1", ["2001:db8::/32"])).toBe(true);
    expect(isAddressAllowed("2001:db9::1", ["2001:db8::/32"])).toBe(false);
    expect(isAddressAllowed("192.168.0.1", ["10.0.0.0/8", "192.168.0.0/16"])).toBe(true);
  });

  it("treats an IPv4-mapped IPv6 client as its IPv4 address, and vice versa", () => {
    expect(isAddressAllowed("::ffff:10.1.2.3", ["10.0.0.0/8"])).toBe(true);
    expect(isAddressAllowed("::ffff:a01:203", ["10.0.0.0/8"])).toBe(true);
    expect(isAddressAllowed("::ffff:11.1.2.3", ["10.0.0.0/8"])).toBe(false);
    expect(isAddressAllowed("10.1.2.3", ["::ffff:10.0.0.0/104"])).toBe(true);
    expect(isAddressAllowed("11.1.2.3", ["::ffff:10.0.0.0/104"])).toBe(false);
  });

  it("keeps IPv4 and non-mapped IPv6 apart", () => {
    expect(isAddressAllowed("10.1.2.3", ["2001:db8::/32"])).toBe(false);
    expect(isAddressAllowed("2001:db8::1", ["0.0.0.0/0"])).toBe(false);
  });

  it("ignores a zone id on the client address", () => {
    expect(isAddressAllowed("fe80::1%eth0", ["fe80::/10"])).toBe(true);
    expect(isAddressAllowed("fe80::1%en0.1-x", ["fe80::/10"])).toBe(true);
    expect(isAddressAllowed("fe80::1%eth0", ["2001:db8::/32"])).toBe(false);
  });

  it("refuses an unparseable or ambiguous client address", () => {
    for (const address of ["", "abc", "10.0.0", "010.1.2.3", "10.1.2.3/8", "::10.1.2.3"]) {
      expect(isAddressAllowed(address, ["10.0.0.0/8", "::/0"]), address).toBe(false);
    }
  });

  it("skips unparseable entries, so a list of only bad entries allows no one", () => {
    expect(isAddressAllowed("10.1.2.3", ["nonsense", "10.0.0.0/8"])).toBe(true);
    expect(isAddressAllowed("10.1.2.3", ["nonsense", "10.0.0.0/33"])).toBe(false);
  });

  it("allows every IPv4 address inside the range built from it", () => {
    fc.assert(
      fc.property(fc.ipV4(), v4Length, (a, n) => {
        expect(isAddressAllowed(a, [ok(`${a}/${n}`)])).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("allows every IPv6 address inside the range built from it", () => {
    fc.assert(
      fc.property(ipV6, v6Length, (a, n) => {
        expect(isAddressAllowed(a, [ok(`${a}/${n}`)])).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives an IPv4 client and its IPv4-mapped form the same answer for any rule", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), v4Length, (client, rule, n) => {
        const v4Rule = `${rule}/${n}`;
        const mappedRule = `::ffff:${rule}/${96 + n}`;
        const expected = isAddressAllowed(client, [v4Rule]);
        expect(isAddressAllowed(`::ffff:${client}`, [v4Rule])).toBe(expected);
        expect(isAddressAllowed(client, [mappedRule])).toBe(expected);
        expect(isAddressAllowed(`::ffff:${client}`, [mappedRule])).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses an IPv4 address that differs from the range inside its prefix", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 32 }), fc.nat(), (a, n, k) => {
        const octets = a.split(".").map(Number);
        const bit = k % n; // a bit inside the prefix, counted from the most significant
        octets[Math.floor(bit / 8)] ^= 0x80 >> (bit % 8);
        expect(isAddressAllowed(octets.join("."), [ok(`${a}/${n}`)])).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("cidrSchema", () => {
  it("trims, validates and outputs the normalized CIDR", () => {
    expect(cidrSchema.parse("  10.1.2.3/8 ")).toBe("10.0.0.0/8");
    expect(cidrSchema.parse("::1")).toBe("::1/128");
  });

  it("reports parseCidr's message as the issue", () => {
    const result = cidrSchema.safeParse("10.0.0.0/33");
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(["prefix length must be 0–32 for IPv4"]);
    expect(cidrSchema.safeParse("").error?.issues).toHaveLength(1);
  });

  it("reports the failing index when used in an array", () => {
    const result = z.array(cidrSchema).safeParse(["10.0.0.0/8", "abc"]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual([1]);
    expect(z.array(cidrSchema).parse(["10.1.0.0/8", " ::1 "])).toEqual(["10.0.0.0/8", "::1/128"]);
  });

  it("refuses non-strings", () => {
    expect(cidrSchema.safeParse(42).success).toBe(false);
    expect(cidrSchema.safeParse(null).success).toBe(false);
  });
});

describe("isRangeWithin", () => {
  it("holds for a range inside one of the outer ranges, in either spelling", () => {
    expect(isRangeWithin("10.1.0.0/16", ["10.0.0.0/8"])).toBe(true);
    expect(isRangeWithin("10.0.0.0/8", ["10.0.0.0/8"])).toBe(true);
    expect(isRangeWithin("10.1.2.3/32", ["192.0.2.0/24", "10.1.2.0/24"])).toBe(true);
    expect(isRangeWithin("::ffff:10.1.0.0/112", ["10.0.0.0/8"])).toBe(true);
    expect(isRangeWithin("10.1.0.0/16", ["::ffff:10.0.0.0/104"])).toBe(true);
    expect(isRangeWithin("2001:db8:1::/48", ["2001:db8::/32"])).toBe(true);
  });

  it("fails for a wider range, a disjoint one, another family, or anything unparseable", () => {
    expect(isRangeWithin("10.0.0.0/7", ["10.0.0.0/8"])).toBe(false);
    expect(isRangeWithin("0.0.0.0/0", ["10.0.0.0/8"])).toBe(false);
    expect(isRangeWithin("11.0.0.0/16", ["10.0.0.0/8"])).toBe(false);
    expect(isRangeWithin("2001:db8::/48", ["10.0.0.0/8"])).toBe(false);
    expect(isRangeWithin("::/0", ["10.0.0.0/8"])).toBe(false);
    expect(isRangeWithin("10.0.0.0/16", [])).toBe(false);
    expect(isRangeWithin("not a range", ["0.0.0.0/0"])).toBe(false);
    expect(isRangeWithin("10.0.0.0/16", ["not a range"])).toBe(false);
  });

  it("agrees with address matching: every address of an inner range is allowed by the outer", () => {
    fc.assert(
      fc.property(fc.ipV4(), v4Length, fc.ipV4(), v4Length, (a, la, b, lb) => {
        const inner = ok(`${a}/${la}`);
        const outer = ok(`${b}/${lb}`);
        const network = inner.split("/")[0];
        if (isRangeWithin(inner, [outer])) expect(isAddressAllowed(network, [outer])).toBe(true);
        expect(isRangeWithin(inner, [outer])).toBe(la >= lb && isAddressAllowed(network, [outer]));
      }),
      { numRuns: 500 },
    );
  });
});
