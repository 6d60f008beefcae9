import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table } from '@mantine/core';
import { useState } from 'react';
import { api, toPage } from '../api/client';
import type { QueueJob, QueueSummary } from '../api/types';
import { useAuth } from '../auth';
import { Dialog, errorText, Json, QueryState, usePagedQuery, When } from '../ui';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Queues (admins): depth per queue and state, the failed jobs of one queue, retry or discard one (audited by the API). */
export function Queues() {
  const { can } = useAuth();
  const [selected, setSelected] = useState<string | null>(null);
  const queues = useQuery({
    queryKey: ['queues'],
    queryFn: async () => toPage<QueueSummary & { id?: string }>(await api.get<unknown>('/backoffice/queues')),
    refetchInterval: 10_000,
    enabled: can('admin'),
  });
  if (!can('admin'))
    return (
      <section aria-labelledby="queues-title">
        <h1 id="queues-title">Queues</h1>
        <p className="muted">The queues are for admins.</p>
      </section>
    );
  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">Queues</h1>
      <QueryState query={queues} isEmpty={(p) => p.items.length === 0} empty="No queues.">
        {(page) => (
          <Table aria-label="Queues">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Queue</Table.Th>
                {STATES.map((s) => (
                  <Table.Th key={s} scope="col" className="num">
                    {s[0].toUpperCase() + s.slice(1)}
                  </Table.Th>
                ))}
                <Table.Th scope="col">Paused</Table.Th>
                <Table.Th scope="col">Failed jobs</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((q) => (
                <Table.Tr key={q.name} aria-current={selected === q.name ? 'true' : undefined}>
                  <Table.Th scope="row">{q.name}</Table.Th>
                  {STATES.map((s) => (
                    <Table.Td key={s} className="num">
                      {q.counts[s]}
                    </Table.Td>
                  ))}
                  <Table.Td>{q.paused ? 'paused' : 'no'}</Table.Td>
                  <Table.Td>
                    <Button variant="default" aria-label={`Show failed jobs of ${q.name}`} onClick={() => setSelected(q.name)}>
                      Show failed jobs
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {selected ? <FailedJobs queue={selected} /> : null}
    </section>
  );
}

function FailedJobs({ queue }: { queue: string }) {
  const queries = useQueryClient();
  const [outcome, setOutcome] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState<QueueJob | null>(null);
  const { query, pager } = usePagedQuery(['queues', queue, 'failed'], (cursor) =>
    api
      .get<unknown>('/backoffice/queues/{queue}/jobs', { path: { queue }, query: { state: 'failed', limit: 20, startingAfter: cursor } })
      .then((b) => toPage<QueueJob>(b)),
  );
  const done = (text: string) => {
    setOutcome(text);
    setDiscarding(null);
    void queries.invalidateQueries({ queryKey: ['queues'] });
  };
  const retry = useMutation({
    mutationFn: (job: QueueJob) => api.post<QueueJob>('/backoffice/queues/{queue}/jobs/{jobId}/retry', { path: { queue, jobId: job.id } }),
    onSuccess: (after, job) => done(`Job ${job.id} runs again (now ${after.state}).`),
    onError: (e, job) => setOutcome(`Job ${job.id} not retried: ${errorText(e)}`),
  });
  const discard = useMutation({
    mutationFn: (job: QueueJob) => api.delete('/backoffice/queues/{queue}/jobs/{jobId}', { path: { queue, jobId: job.id } }),
    onSuccess: (_, job) => done(`Job ${job.id} discarded.`),
  });
  return (
    <section aria-labelledby="failed-title">
      <h2 id="failed-title">Failed jobs of {queue}</h2>
      {outcome ? (
        <p role="status" className="notice">
          {outcome}
        </p>
      ) : null}
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty={`No failed jobs in ${queue}.`}>
        {(page) => (
          <Table aria-label={`Failed jobs of ${queue}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Job</Table.Th>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Attempts</Table.Th>
                <Table.Th scope="col">Error</Table.Th>
                <Table.Th scope="col">Failed at</Table.Th>
                <Table.Th scope="col">Data</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((j) => (
                <Table.Tr key={j.id}>
                  <Table.Th scope="row">{j.id}</Table.Th>
                  <Table.Td>{j.name}</Table.Td>
                  <Table.Td className="num">
                    {j.attemptsMade}
                    {j.attempts ? ` of ${j.attempts}` : ''}
                  </Table.Td>
                  <Table.Td>
                    <span>{j.failedReason ?? '—'}</span>
                    {j.stacktrace ? (
                      <details>
                        <summary>Stack trace</summary>
                        <pre className="json">{j.stacktrace}</pre>
                      </details>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <When at={j.finishedAt} />
                  </Table.Td>
                  <Table.Td>
                    <details>
                      <summary>Data</summary>
                      <Json value={j.data} />
                    </details>
                  </Table.Td>
                  <Table.Td>
                    <Button variant="default" disabled={retry.isPending} onClick={() => retry.mutate(j)}>
                      Retry
                    </Button>
                    <Button variant="default" onClick={() => setDiscarding(j)}>
                      Discard
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {pager}
      {discarding ? (
        <Dialog
          title={`Discard job ${discarding.id}`}
          onClose={() => {
            discard.reset();
            setDiscarding(null);
          }}
        >
          <p>
            The {discarding.name} job of {queue} is removed and never runs again. The audit log keeps what it held.
          </p>
          {discard.isError ? (
            <p role="alert" className="error">
              {errorText(discard.error)}
            </p>
          ) : null}
          <div className="actions">
            <Button variant="default" disabled={discard.isPending} onClick={() => discard.mutate(discarding)}>
              Discard job
            </Button>
            <Button variant="default" onClick={() => setDiscarding(null)}>
              Cancel
            </Button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
