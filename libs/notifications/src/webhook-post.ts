import type { Dispatcher } from 'undici';
import { httpCall, HttpCallResult } from '@payhub/common';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

export interface WebhookRequest {
  url: string;
  eventId: string;
  payload: Record<string, unknown>;
  /** Every secret valid now, the newest first: one `v1=` each during a rotation's grace period. */
  secrets: string[];
  timeoutMs: number;
  /** Refuses internal addresses after DNS resolution, at connect time (the outbound URL policy). */
  dispatcher?: Dispatcher;
  /** Of the merchant's answer only this much is read and kept. */
  maxResponseBytes?: number;
}

/** The one place a webhook leaves payhub: the body as stored, signed with the merchant's secrets. */
export async function postWebhook(request: WebhookRequest): Promise<HttpCallResult> {
  const body = JSON.stringify(request.payload);
  return httpCall({
    method: 'POST',
    url: request.url,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'payhub-webhooks/1',
      [SIGNATURE_HEADER]: signWebhook(body, request.secrets),
      'payhub-event-id': request.eventId,
    },
    body,
    timeoutMs: request.timeoutMs,
    dispatcher: request.dispatcher,
    maxResponseBytes: request.maxResponseBytes,
  });
}
