import { randomBytes, randomInt } from "node:crypto";
import type { MessageStatus } from "@/db/schema";

export type FinalReport = Extract<MessageStatus, "DELIVRD" | "UNDELIV" | "REJECTD" | "EXPIRED" | "UNKNOWN">;

export type CarrierMessage = { messageId: string; recipient: string; senderId: string; body: string; segments: number };
export type SubmitResult =
  { messageId: string; accepted: true; carrierMessageId: string } | { messageId: string; accepted: false; statusCode: string };
/** A delivery report the carrier will send later; `status: null` means it never reports (stays `sent`). */
export type ScheduledReport = { messageId: string; status: FinalReport | null; statusCode: string; afterMs: number };

/**
 * A way out to the phone network. The send path only ever talks to this
 * interface; a real carrier adapter (SMPP, HTTP) implements it and delivers its
 * reports through `sms-report` jobs. A carrier that reports later returns
 * nothing in `reports` and enqueues them when its callbacks arrive.
 */
export interface Carrier {
  readonly name: string;
  available(): boolean;
  submit(messages: CarrierMessage[]): Promise<{ results: SubmitResult[]; reports: ScheduledReport[] }>;
}

type Outcome = { status: FinalReport; weight: number };

/** "DELIVRD:0.94,UNDELIV:0.03" → weighted outcomes. */
export function parseOutcomes(spec: string): Outcome[] {
  const outcomes = spec
    .split(",")
    .map((part) => part.trim().split(":"))
    .filter(([status, weight]) => status && Number(weight) > 0)
    .map(([status, weight]) => ({ status: status as FinalReport, weight: Number(weight) }));
  return outcomes.length ? outcomes : [{ status: "DELIVRD", weight: 1 }];
}

function pick(outcomes: Outcome[]): FinalReport {
  const total = outcomes.reduce((s, o) => s + o.weight, 0);
  let r = Math.random() * total;
  for (const o of outcomes) if ((r -= o.weight) <= 0) return o.status;
  return outcomes[outcomes.length - 1].status;
}

/** The status code the simulator and the sandbox report with each final status (lib/sms/status-codes.ts explains them). */
export const STATUS_CODES: Record<FinalReport, string> = {
  DELIVRD: "000",
  UNDELIV: "001",
  REJECTD: "002",
  EXPIRED: "003",
  UNKNOWN: "004",
};

/**
 * The built-in live carrier: a simulator. Outcomes are drawn from
 * CARRIER_SIM_OUTCOMES (default mostly DELIVRD) after a latency drawn from
 * CARRIER_SIM_LATENCY_MS ("min-max", default 1000-4000).
 */
export class CarrierSimulator implements Carrier {
  readonly name = "simulator";
  constructor(
    private readonly outcomes = parseOutcomes(
      process.env.CARRIER_SIM_OUTCOMES ?? "DELIVRD:0.94,UNDELIV:0.03,REJECTD:0.01,EXPIRED:0.01,UNKNOWN:0.01",
    ),
    private readonly latency = (process.env.CARRIER_SIM_LATENCY_MS ?? "1000-4000").split("-").map(Number),
  ) {}

  available(): boolean {
    return process.env.CARRIER_SIM_DOWN !== "true";
  }

  async submit(messages: CarrierMessage[]) {
    const [min, max = min] = this.latency;
    return {
      results: messages.map((m) => ({
        messageId: m.messageId,
        accepted: true as const,
        carrierMessageId: "sim-" + randomBytes(8).toString("hex"),
      })),
      reports: messages.map((m) => {
        const status = pick(this.outcomes);
        return { messageId: m.messageId, status, statusCode: STATUS_CODES[status], afterMs: max > min ? randomInt(min, max + 1) : min };
      }),
    };
  }
}

/** Magic recipients for deterministic tests in test mode (docs/api-v1.md §6); `status: null` never reports. */
export const MAGIC_RECIPIENTS: Record<string, { status: FinalReport | null; statusCode: string }> = {
  "+15005550001": { status: "UNDELIV", statusCode: STATUS_CODES.UNDELIV },
  "+15005550002": { status: "REJECTD", statusCode: STATUS_CODES.REJECTD },
  "+15005550003": { status: "EXPIRED", statusCode: STATUS_CODES.EXPIRED },
  "+15005550004": { status: null, statusCode: "" },
  // The failures a person must act on differently: opted out, and a number not in service.
  "+15005550005": { status: "REJECTD", statusCode: "005" },
  "+15005550006": { status: "UNDELIV", statusCode: "006" },
};

/**
 * Test mode's carrier: nothing leaves the building. Every message is `sent` at
 * once and DELIVRD about SANDBOX_DLR_DELAY_MS (5 s) later, except the magic
 * recipients. When the sandbox is down (SANDBOX_DOWN=true), test sends answer
 * 503 SANDBOX_UNAVAILABLE — a test key never falls through to live sending.
 */
export class Sandbox implements Carrier {
  readonly name = "sandbox";
  available(): boolean {
    return process.env.SANDBOX_DOWN !== "true";
  }
  async submit(messages: CarrierMessage[]) {
    const afterMs = Number(process.env.SANDBOX_DLR_DELAY_MS ?? 5000);
    return {
      results: messages.map((m) => ({
        messageId: m.messageId,
        accepted: true as const,
        carrierMessageId: "sandbox-" + randomBytes(8).toString("hex"),
      })),
      reports: messages.map((m) => {
        const magic = Object.hasOwn(MAGIC_RECIPIENTS, m.recipient) ? MAGIC_RECIPIENTS[m.recipient] : null;
        return { messageId: m.messageId, ...(magic ?? { status: "DELIVRD" as const, statusCode: STATUS_CODES.DELIVRD }), afterMs };
      }),
    };
  }
}
