import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../api/client';
import type { WebhookEventSelection } from '../api/types';
import { useAuth } from '../auth';
import { errorText, QueryState } from '../ui';

/** What each event announces, beside its type (the type itself is the checkbox's name). */
const MEANING: Record<string, string> = {
  'transaction.created': 'stored, before the provider answered',
  'transaction.waiting_input': 'the customer has to act (3-D Secure, a redirect, an activation code)',
  'transaction.processing': 'the provider is working on it',
  'transaction.waiting_approval': 'a payout waits for staff approval',
  'transaction.succeeded': 'paid or paid out',
  'transaction.failed': 'declined or failed',
  'transaction.cancelled': 'cancelled',
  'transaction.inconsistent': 'the provider and payhub disagree; staff resolve it',
  'transaction.refunded': 'a refund or reversal of a deposit succeeded',
  'transaction.refund_reverted': 'staff took a refund back',
};

/** Which webhook event types a merchant receives; events of other types are never enqueued. Admins change it. */
export function MerchantWebhookEvents() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const query = useQuery({
    queryKey: ['merchant-webhook-events', id],
    queryFn: () => api.get<WebhookEventSelection>('/backoffice/merchants/{id}/webhook-events', { path: { id } }),
  });
  return (
    <section aria-labelledby="mwe-title">
      <h1 id="mwe-title">Webhook events</h1>
      <p className="muted">Merchant {id}</p>
      <QueryState query={query}>{(selection) => <EventsForm merchantId={id} selection={selection} editable={can('admin')} />}</QueryState>
    </section>
  );
}

function EventsForm({ merchantId, selection, editable }: { merchantId: string; selection: WebhookEventSelection; editable: boolean }) {
  const queries = useQueryClient();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(selection.events));
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setChosen(new Set(selection.events)), [selection]);
  const save = useMutation({
    mutationFn: (events: string[]) =>
      api.put<WebhookEventSelection>('/backoffice/merchants/{id}/webhook-events', { path: { id: merchantId }, body: { events } }),
    onSuccess: (saved) => {
      queries.setQueryData(['merchant-webhook-events', merchantId], saved);
      setMessage(`Saved: ${saved.events.length} of ${saved.available.length} event types are sent`);
    },
    onError: () => setMessage(null),
  });
  const toggle = (type: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(type);
    else next.delete(type);
    setChosen(next);
    setMessage(null);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(selection.available.filter((type) => chosen.has(type)));
      }}
    >
      <fieldset>
        <legend>Event types sent to the merchant</legend>
        {selection.available.map((type) => (
          <label key={type} className="check">
            <input type="checkbox" checked={chosen.has(type)} disabled={!editable} onChange={(e) => toggle(type, e.target.checked)} />
            {type}
            <span className="muted"> — {MEANING[type] ?? ''}</span>
          </label>
        ))}
      </fieldset>
      {editable ? (
        <Button type="submit" disabled={save.isPending}>
          Save
        </Button>
      ) : (
        <p className="empty">Changing the webhook events is for admins: your role does not include it.</p>
      )}
      {message ? (
        <p role="status" className="notice">
          {message}
        </p>
      ) : null}
      {save.isError ? (
        <p role="alert" className="error">
          Could not save: {errorText(save.error)}
        </p>
      ) : null}
    </form>
  );
}
