import { Injectable } from '@nestjs/common';
import { DomainError } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { TRANSACTION_CREATED_EVENT, WEBHOOK_EVENT_TYPES } from '@payhub/transactions';

/**
 * What a merchant that never chose receives: every type but `transaction.created`, which announces only that
 * payhub stored the request the merchant has just been answered (the answer already says so).
 */
export const DEFAULT_WEBHOOK_EVENTS: readonly string[] = WEBHOOK_EVENT_TYPES.filter((type) => type !== TRANSACTION_CREATED_EVENT);

export interface WebhookEventSelection {
  /** The types the merchant receives, in the order of `available`. */
  events: string[];
  /** Every webhook event type payhub sends. */
  available: string[];
}

/** The types a stored choice selects (null: never chosen, the default). */
export function selectedWebhookEvents(stored: readonly string[] | null): ReadonlySet<string> {
  return new Set(stored ?? DEFAULT_WEBHOOK_EVENTS);
}

/** The merchant's choice of webhook event types; the outbox relay enqueues only what it selects. */
@Injectable()
export class WebhookEventSelectionService {
  constructor(private readonly merchants: MerchantsService) {}

  async get(merchantId: string): Promise<WebhookEventSelection> {
    return present((await this.merchants.get(merchantId)).webhookEvents);
  }

  /** Replaces the selection; an unknown type is refused with its position and nothing changes. */
  async replace(merchantId: string, events: unknown): Promise<{ before: WebhookEventSelection; after: WebhookEventSelection }> {
    if (!Array.isArray(events)) throw DomainError.validation([{ field: 'events', issue: 'must be an array of webhook event types' }]);
    const details = events.flatMap((type: unknown, i) =>
      typeof type === 'string' && WEBHOOK_EVENT_TYPES.includes(type)
        ? []
        : [
            {
              field: `events[${i}]`,
              issue: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
              value: typeof type === 'string' ? type.slice(0, 64) : String(type),
            },
          ],
    );
    if (details.length) throw DomainError.validation(details);
    const chosen = WEBHOOK_EVENT_TYPES.filter((type) => (events as string[]).includes(type));
    const { before } = await this.merchants.setWebhookEvents(merchantId, chosen);
    return { before: present(before), after: present(chosen) };
  }
}

function present(stored: readonly string[] | null): WebhookEventSelection {
  const selected = selectedWebhookEvents(stored);
  return { events: WEBHOOK_EVENT_TYPES.filter((type) => selected.has(type)), available: [...WEBHOOK_EVENT_TYPES] };
}
