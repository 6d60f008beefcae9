import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Table } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, getPage } from '../api/client';
import type { ResendFailedResult, WebhookDelivery } from '../api/types';
import { useAuth } from '../auth';
import { errorText, MerchantField, QueryState, StatusBadge, usePagedQuery, When } from '../ui';

/** Failed deliveries, and pending ones (a delivery being retried is pending with attempts behind it). */
const VIEWS = [
  { status: 'failed', label: 'Failed' },
  { status: 'pending', label: 'Retrying and waiting' },
] as const;

export function Webhooks() {
  const { can } = useAuth();
  return (
    <section aria-labelledby="wh-title">
      <h1 id="wh-title">Webhooks</h1>
      {can('operator') ? <Deliveries /> : <p className="empty">Webhook deliveries are for operators: your role does not include it.</p>}
    </section>
  );
}

function Deliveries() {
  const queries = useQueryClient();
  const [status, setStatus] = useState<string>('failed');
  const [merchantId, setMerchantId] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const { query, pager } = usePagedQuery(['webhooks', status, merchantId], (cursor) =>
    getPage<WebhookDelivery>('/backoffice/webhook-deliveries', {
      status,
      merchantId: /^mer_/.test(merchantId) ? merchantId : undefined,
      limit: 25,
      startingAfter: cursor,
    }),
  );
  const done = (text: string) => {
    setMessage(text);
    void queries.invalidateQueries({ queryKey: ['webhooks'] });
  };
  const resend = useMutation({
    mutationFn: (id: string) => api.post('/backoffice/webhook-deliveries/{id}/resend', { path: { id } }),
    onSuccess: (_r, id) => done(`Delivery ${id} queued to be sent again`),
    onError: (e) => setMessage(errorText(e)),
  });
  const resendAll = useMutation({
    mutationFn: (id: string) => api.post<ResendFailedResult>('/backoffice/webhook-deliveries/resend-failed', { body: { merchantId: id } }),
    onSuccess: (r) => done(`${r.resent} failed webhooks queued to be sent again`),
    onError: (e) => setMessage(errorText(e)),
  });

  return (
    <>
      <div className="toolbar">
        <fieldset className="segmented">
          <legend>Deliveries</legend>
          {VIEWS.map((v) => (
            <label key={v.status} className="check">
              <input type="radio" name="wh-status" checked={status === v.status} onChange={() => setStatus(v.status)} />
              {v.label}
            </label>
          ))}
        </fieldset>
        <MerchantField value={merchantId} onChange={setMerchantId} />
        {/^mer_[0-9A-Z]{26}$/.test(merchantId) ? (
          <Button variant="default" disabled={resendAll.isPending} onClick={() => resendAll.mutate(merchantId)}>
            Resend all failed of this merchant
          </Button>
        ) : null}
      </div>
      {message ? (
        <p role="status" className="notice">
          {message}
        </p>
      ) : null}
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty={status === 'failed' ? 'No failed webhooks.' : 'No webhooks waiting to be sent.'}>
        {(page) => (
          <Table aria-label="Webhook deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Delivery</Table.Th>
                <Table.Th scope="col">Transaction</Table.Th>
                <Table.Th scope="col">Event</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Attempts</Table.Th>
                <Table.Th scope="col">Last answer</Table.Th>
                <Table.Th scope="col">Next attempt</Table.Th>
                <Table.Th scope="col">
                  <span className="sr-only">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{d.id}</Table.Td>
                  <Table.Td>
                    <Link to={`/transactions/${d.transactionId}`}>{d.transactionId}</Link>
                  </Table.Td>
                  <Table.Td>{d.type}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={d.status} />
                  </Table.Td>
                  <Table.Td className="num">{d.attemptCount}</Table.Td>
                  <Table.Td>
                    {d.lastStatusCode ?? ''} {d.lastError ?? ''}
                  </Table.Td>
                  <Table.Td>
                    <When at={d.nextAttemptAt} />
                  </Table.Td>
                  <Table.Td>
                    <Button variant="default" aria-label={`Resend ${d.id}`} disabled={resend.isPending} onClick={() => resend.mutate(d.id)}>
                      Resend
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {pager}
    </>
  );
}
