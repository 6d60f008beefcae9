const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

export interface WebhookOptions {
  /** Waits before the 2nd, 3rd, … attempt: one attempt more than there are delays. */
  retryDelaysMs: number[];
  /** Per attempt; the merchant has this long to answer. */
  timeoutMs: number;
  relayBatchSize: number;
  /** A due delivery nobody works on for this long is enqueued again (lost job, killed worker). */
  sweepGraceMs: number;
  /** Bytes of the merchant's answer kept per attempt: enough to diagnose, too little to exfiltrate. */
  responseExcerptBytes: number;
  /** Deliveries sent for a transaction in one claim of its lane before it is handed back. */
  laneBatch: number;
  /** Lanes one worker process works on at once (each has at most one request in flight). */
  maxLanesInFlight: number;
  /** Of those, lanes of one merchant: a slow or dead endpoint holds at most these, never the others' share. */
  maxLanesPerMerchant: number;
  /** How long an idle worker waits before looking for due lanes again. */
  idlePollMs: number;
}

/** 10 attempts over about 24 h: 1 m, 5 m, 15 m, 30 m, 1 h, 2 h, 4 h, 8 h, 8 h. */
export const DEFAULT_WEBHOOK_OPTIONS: Readonly<WebhookOptions> = Object.freeze({
  retryDelaysMs: [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 8 * HOUR],
  timeoutMs: 10_000,
  relayBatchSize: 500,
  sweepGraceMs: 5_000,
  responseExcerptBytes: 256,
  laneBatch: 50,
  maxLanesInFlight: 512,
  maxLanesPerMerchant: 32,
  idlePollMs: 100,
});

/** A lease outlives the longest request made under it by this much (the time to write the result). */
export const LANE_LEASE_MARGIN_MS = 5_000;

export const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');

/** Delay before the next attempt after `attemptsInCycle` attempts failed, or null when they are used up. */
export function nextRetryDelay(attemptsInCycle: number, delays: readonly number[]): number | null {
  return attemptsInCycle >= 1 && attemptsInCycle <= delays.length ? delays[attemptsInCycle - 1] : null;
}
