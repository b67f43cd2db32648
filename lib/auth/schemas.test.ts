import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "@/lib/portal/define-action";
import { newPasswordSchema, PASSWORD_POLICY, passwordProblem, signUpSchema } from "./schemas";

const strong = "copper kettle orbit lantern";
const form = (overrides: Record<string, string> = {}) => ({
  name: "Dana Whitfield",
  email: "dana@northwind.test",
  password: strong,
  organization: "Northwind",
  ...overrides,
});

describe("newPasswordSchema (the password policy)", () => {
  it("accepts a long phrase of unrelated words", () => {
    expect(newPasswordSchema.safeParse(strong).success).toBe(true);
  });

  it("refuses fewer than 12 characters, saying so", () => {
    const result = newPasswordSchema.safeParse("xK9#mQ2$vL7");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe(`Use at least ${PASSWORD_POLICY.minLength} characters.`);
  });

  it.each(["password1234", "qwertyuiopasdf", "123456789012", "iloveyou2024!", "aaaaaaaaaaaaaaaa", "Password123456"])(
    "refuses a long but guessable password (%s): a common password, word or keyboard pattern",
    (password) => {
      expect(passwordProblem(password)).toMatch(/too easy to guess/);
    },
  );

  it("refuses more than the maximum length (hashing megabytes is a denial of service)", () => {
    expect(passwordProblem("a1b2 c3d4 ".repeat(30))).toMatch(/at most/);
  });
});

describe("signUpSchema", () => {
  it("normalizes the email and trims the names", () => {
    const parsed = signUpSchema.parse(form({ email: "  Dana@NorthWind.TEST ", organization: " Northwind " }));
    expect(parsed).toMatchObject({ email: "dana@northwind.test", organization: "Northwind", name: "Dana Whitfield" });
  });

  it("refuses a password containing the email's local part or a word of the name, by the password field", () => {
    for (const password of ["dana-northwind-kettle-orbit", "whitfield copper kettle", "my dana@northwind.test pass"]) {
      const result = signUpSchema.safeParse(form({ name: "Dana Whitfield", email: "dana@northwind.test", password }));
      expect(result.success, password).toBe(false);
      expect(fieldErrorsOf(result.error!)).toEqual({ password: "Do not use your name or email address in your password." });
    }
  });

  it("does not count the email's domain as personal (every .test or gmail address would refuse those words)", () => {
    expect(signUpSchema.safeParse(form({ email: "dana@northwind.test", password: "contest northwind orbit kettle" })).success).toBe(true);
  });

  it("gives every field its own message", () => {
    const result = signUpSchema.safeParse({ name: " ", email: "not-an-email", password: "short", organization: "" });
    expect(fieldErrorsOf(result.error!)).toEqual({
      name: "Enter your name",
      email: "Enter a valid email address",
      password: `Use at least ${PASSWORD_POLICY.minLength} characters.`,
      organization: "Enter your organization's name",
    });
  });
});
