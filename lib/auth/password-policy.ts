import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/**
 * The rule for every new password (sign-up, accepting an invitation, changing
 * one's password): at least 12 characters, zxcvbn score ≥ 3 ("safely
 * unguessable: moderate protection from offline slow-hash scenario") against its
 * common-password, diceware and keyboard-pattern lists — offline, standing in
 * for a breached-password service this deployment cannot assume it may reach —
 * and not containing the person's own email or name. Pure: runs in the browser
 * (the form) and on the server (the action) alike.
 */
export const PASSWORD_POLICY = {
  minLength: 12,
  /** More is refused: hashing megabytes is a cheap denial of service. */
  maxLength: 256,
  minScore: 3,
  /** Parts of the email and name at least this long may not appear in the password (shorter ones match too much). */
  minPersonalPart: 4,
} as const;

let zxcvbn: ZxcvbnFactory | undefined;
const checker = () => (zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

/**
 * The pieces of a person's details a password must not contain: the whole email,
 * its local part and that part's words, the name's words. Not the email's domain
 * ("gmail", "test" say nothing about the person).
 */
export function personalParts(inputs: ReadonlyArray<string | null | undefined>): string[] {
  const parts = new Set<string>();
  for (const input of inputs) {
    const value = input?.trim().toLowerCase();
    if (!value) continue;
    parts.add(value);
    const at = value.lastIndexOf("@");
    const personal = at > 0 ? value.slice(0, at) : value;
    parts.add(personal);
    for (const word of personal.split(/[^\p{L}\p{N}]+/u)) if (word) parts.add(word);
  }
  return [...parts].filter((p) => p.length >= PASSWORD_POLICY.minPersonalPart);
}

/**
 * Why `password` does not meet the policy, as a sentence for the person, or null.
 * `personal` are the person's email and name when known (a change of password
 * knows them on the server; a form checks what was typed).
 */
export function passwordProblem(password: string, personal: ReadonlyArray<string | null | undefined> = []): string | null {
  if (password.length < PASSWORD_POLICY.minLength) return `Use at least ${PASSWORD_POLICY.minLength} characters.`;
  if (password.length > PASSWORD_POLICY.maxLength) return `Use at most ${PASSWORD_POLICY.maxLength} characters.`;
  const lower = password.toLowerCase();
  const parts = personalParts(personal);
  if (parts.some((p) => lower.includes(p))) return "Do not use your name or email address in your password.";
  const result = checker().check(password, parts);
  if (result.score < PASSWORD_POLICY.minScore) {
    return "This password is too easy to guess (a common password, word or pattern). Use a longer phrase of unrelated words.";
  }
  return null;
}
