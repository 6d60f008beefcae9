import { httpCall, HttpCallResult } from '@payhub/common';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

export interface WebhookRequest {
  url: string;
  eventId: string;
  payload: Record<string, unknown>;
  secret: string;
  timeoutMs: number;
}

/** The one place a webhook leaves payhub: the body as stored, signed with the merchant's secret. */
export async function postWebhook(request: WebhookRequest): Promise<HttpCallResult> {
  const body = JSON.stringify(request.payload);
  return httpCall({
    method: 'POST',
    url: request.url,
    headers: { 'content-type': 'application/json', 'user-agent': 'payhub-webhooks/1', [SIGNATURE_HEADER]: signWebhook(body, request.secret), 'payhub-event-id': request.eventId },
    body,
    timeoutMs: request.timeoutMs,
  });
}
