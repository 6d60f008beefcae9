import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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
          <table aria-label="Queues">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                {STATES.map((s) => (
                  <th key={s} scope="col" className="num">
                    {s[0].toUpperCase() + s.slice(1)}
                  </th>
                ))}
                <th scope="col">Paused</th>
                <th scope="col">Failed jobs</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((q) => (
                <tr key={q.name} aria-current={selected === q.name ? 'true' : undefined}>
                  <th scope="row">{q.name}</th>
                  {STATES.map((s) => (
                    <td key={s} className="num">
                      {q.counts[s]}
                    </td>
                  ))}
                  <td>{q.paused ? 'paused' : 'no'}</td>
                  <td>
                    <button type="button" aria-label={`Show failed jobs of ${q.name}`} onClick={() => setSelected(q.name)}>
                      Show failed jobs
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
          <table aria-label={`Failed jobs of ${queue}`}>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Name</th>
                <th scope="col">Attempts</th>
                <th scope="col">Error</th>
                <th scope="col">Failed at</th>
                <th scope="col">Data</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((j) => (
                <tr key={j.id}>
                  <th scope="row">{j.id}</th>
                  <td>{j.name}</td>
                  <td className="num">
                    {j.attemptsMade}
                    {j.attempts ? ` of ${j.attempts}` : ''}
                  </td>
                  <td>
                    <span>{j.failedReason ?? '—'}</span>
                    {j.stacktrace ? (
                      <details>
                        <summary>Stack trace</summary>
                        <pre className="json">{j.stacktrace}</pre>
                      </details>
                    ) : null}
                  </td>
                  <td>
                    <When at={j.finishedAt} />
                  </td>
                  <td>
                    <details>
                      <summary>Data</summary>
                      <Json value={j.data} />
                    </details>
                  </td>
                  <td>
                    <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(j)}>
                      Retry
                    </button>
                    <button type="button" onClick={() => setDiscarding(j)}>
                      Discard
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
            <button type="button" disabled={discard.isPending} onClick={() => discard.mutate(discarding)}>
              Discard job
            </button>
            <button type="button" onClick={() => setDiscarding(null)}>
              Cancel
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
