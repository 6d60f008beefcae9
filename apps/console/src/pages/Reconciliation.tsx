import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, NativeSelect, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, getPage } from '../api/client';
import type { Mismatch, ReconciliationReport, ReconciliationRun, StatusSyncBacklog } from '../api/types';
import { useAuth } from '../auth';
import { formatMoney } from '../money';
import { errorText, MerchantField, QueryState, StatusBadge, usePagedQuery, When } from '../ui';

const REPORT_STATUSES = ['matched', 'mismatch', 'unsupported', 'error'] as const;
const KIND_LABEL: Record<Mismatch['kind'], string> = {
  missing_in_payhub: 'Missing in payhub',
  missing_at_provider: 'Missing at the provider',
  status_mismatch: 'Status differs',
  amount_mismatch: 'Amount differs',
  balance_mismatch: 'Balance differs',
};
const DAY_MS = 24 * 3600 * 1000;
const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);

export function Reconciliation() {
  const { can } = useAuth();
  return (
    <section aria-labelledby="reconciliation-title">
      <h1 id="reconciliation-title">Reconciliation</h1>
      <Backlog />
      {can('operator') ? <RunReport /> : null}
      <Reports />
    </section>
  );
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}

const countText = (n: number, capped: boolean) => (capped ? `more than ${n.toLocaleString('en-GB')}` : n.toLocaleString('en-GB'));

function Backlog() {
  const backlog = useQuery({
    queryKey: ['reconciliation', 'status-sync'],
    queryFn: () => api.get<StatusSyncBacklog>('/backoffice/reconciliation/status-sync'),
    refetchInterval: 15_000,
  });
  return (
    <section aria-labelledby="backlog-title">
      <h2 id="backlog-title">Status-sync backlog</h2>
      <QueryState query={backlog}>
        {(b) => (
          <dl className="summary" aria-label="Status-sync backlog">
            <dt>Scheduled checks</dt>
            <dd>{countText(b.scheduled, b.scheduledCapped)}</dd>
            <dt>Due now</dt>
            <dd>{countText(b.due, b.dueCapped)}</dd>
            <dt>Oldest due check waiting</dt>
            <dd>
              {b.oldestDueAgeSeconds === null ? (
                <span className="muted">nothing due</span>
              ) : (
                <>
                  {formatAge(b.oldestDueAgeSeconds)} (due <When at={b.oldestDueAt} />)
                </>
              )}
            </dd>
          </dl>
        )}
      </QueryState>
    </section>
  );
}

function RunReport() {
  const queries = useQueryClient();
  const [date, setDate] = useState(utcDay(-1));
  const [problem, setProblem] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (day: string) => api.post<ReconciliationRun>('/backoffice/reconciliation/reports/runs', { body: { date: day } }),
    onSuccess: () => {
      // The worker replaces the day's rows in a moment; the list reads them again then.
      setTimeout(() => void queries.invalidateQueries({ queryKey: ['reconciliation', 'reports'] }), 2000);
    },
  });
  return (
    <section aria-labelledby="run-title">
      <h2 id="run-title">Run a report now</h2>
      <form
        className="toolbar"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return setProblem('Choose a day');
          if (date > utcDay()) return setProblem('The day must not be after today (UTC)');
          setProblem(null);
          run.mutate(date);
        }}
      >
        <TextInput
          label="Day (UTC)"
          description="The report of that day is made again by the worker; its rows are replaced"
          inputWrapperOrder={['label', 'input', 'description']}
          type="date"
          max={utcDay()}
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        <Button type="submit" disabled={run.isPending}>
          Run report now
        </Button>
      </form>
      {problem || run.isError ? (
        <p role="alert" className="error">
          {problem ?? errorText(run.error)}
        </p>
      ) : null}
      {run.isSuccess ? (
        <p role="status" className="notice">
          Queued the report of {run.data.date} (job {run.data.jobId} on the {run.data.queue} queue).
        </p>
      ) : null}
    </section>
  );
}

function Reports() {
  const [merchantId, setMerchantId] = useState('');
  const [status, setStatus] = useState('');
  const [date, setDate] = useState('');
  const { query, pager } = usePagedQuery(['reconciliation', 'reports', merchantId, status, date], (cursor) =>
    getPage<ReconciliationReport>('/backoffice/reconciliation/reports', {
      merchantId: /^mer_/.test(merchantId) ? merchantId : undefined,
      status: status || undefined,
      date: date || undefined,
      limit: 20,
      startingAfter: cursor,
    }),
  );
  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">Reports</h2>
      <div className="filters" role="search" aria-label="Report filters">
        <MerchantField value={merchantId} onChange={setMerchantId} />
        <NativeSelect label="Report status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">any</option>
          {REPORT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </NativeSelect>
        <TextInput label="Report day" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </div>
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No reports match.">
        {(page) => (
          <Table aria-label="Reconciliation reports">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Day</Table.Th>
                <Table.Th scope="col">Merchant</Table.Th>
                <Table.Th scope="col">Provider · account</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Provider tx</Table.Th>
                <Table.Th scope="col">payhub tx</Table.Th>
                <Table.Th scope="col">Mismatches</Table.Th>
                <Table.Th scope="col">Made</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.date}</Table.Td>
                  <Table.Td>{r.merchantId}</Table.Td>
                  <Table.Td>
                    {r.provider} · {r.account}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={r.status} />
                    {r.error ? <small className="error"> {r.error}</small> : null}
                  </Table.Td>
                  <Table.Td className="num">{r.providerTxCount}</Table.Td>
                  <Table.Td className="num">{r.payhubTxCount}</Table.Td>
                  <Table.Td>{r.mismatches?.length ? <Mismatches report={r} mismatches={r.mismatches} /> : <span className="muted">none</span>}</Table.Td>
                  <Table.Td>
                    <When at={r.updatedAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {pager}
    </section>
  );
}

/** A report's mismatches grouped by kind, each transaction linked to its detail. */
function Mismatches({ report, mismatches }: { report: ReconciliationReport; mismatches: Mismatch[] }) {
  const kinds = [...new Set(mismatches.map((m) => m.kind))];
  return (
    <details>
      <summary>
        {mismatches.length} {mismatches.length === 1 ? 'mismatch' : 'mismatches'}:{' '}
        {kinds.map((k) => `${KIND_LABEL[k]} ${mismatches.filter((m) => m.kind === k).length}`).join(', ')}
      </summary>
      {kinds.map((kind) => (
        <section key={kind} aria-label={`${KIND_LABEL[kind]} (${report.provider} ${report.date})`}>
          <h3>{KIND_LABEL[kind]}</h3>
          <ul>
            {mismatches
              .filter((m) => m.kind === kind)
              .map((m, i) => (
                <li key={i}>
                  <MismatchLine mismatch={m} />
                </li>
              ))}
          </ul>
        </section>
      ))}
    </details>
  );
}

function TxLink({ id }: { id: string | null }) {
  return id ? <Link to={`/transactions/${id}`}>{id}</Link> : <span className="muted">no payhub id</span>;
}

function MismatchLine({ mismatch: m }: { mismatch: Mismatch }) {
  switch (m.kind) {
    case 'missing_in_payhub':
      return (
        <>
          <TxLink id={m.txId} /> provider id {m.providerTxId ?? '—'}: {m.providerStatus} at the provider, {formatMoney(m.amount, m.currency)}
        </>
      );
    case 'missing_at_provider':
      return (
        <>
          <TxLink id={m.txId} />: {m.payhubStatus} in payhub, {formatMoney(m.amount, m.currency)}; the provider does not list it
        </>
      );
    case 'status_mismatch':
      return (
        <>
          <TxLink id={m.txId} />: {m.payhubStatus} in payhub, {m.providerStatus} at the provider
        </>
      );
    case 'amount_mismatch':
      return (
        <>
          <TxLink id={m.txId} />: {formatMoney(m.payhub, m.payhubCurrency)} in payhub, {formatMoney(m.provider, m.providerCurrency)} at the provider
        </>
      );
    case 'balance_mismatch':
      return (
        <>
          {m.currency}: payhub {formatMoney(m.payhub, m.currency)}, provider {formatMoney(m.provider, m.currency)}, difference{' '}
          {formatMoney(m.difference, m.currency)}
        </>
      );
  }
}
