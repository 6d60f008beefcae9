import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, getPage } from '../api/client';
import type { PendingChange, QueuedPayout } from '../api/types';
import { useAuth } from '../auth';
import { exponentOf, formatMoney, parseMajor } from '../money';
import { Dialog, errorText, Field, Json, MerchantField, QueryState, usePagedQuery, When } from '../ui';

export function Payouts() {
  const { can } = useAuth();
  return (
    <section aria-labelledby="payouts-title">
      <h1 id="payouts-title">Payouts</h1>
      <ApprovalQueue />
      {can('operator') ? <ManualWithdrawal /> : null}
      {can('admin') ? <PendingChanges /> : null}
    </section>
  );
}

type Decision = { kind: 'approve' | 'decline'; ids: string[] };

function ApprovalQueue() {
  const { can } = useAuth();
  const queries = useQueryClient();
  const [merchantId, setMerchantId] = useState('');
  const { query, pager } = usePagedQuery(['payouts', 'queue', merchantId], (cursor) =>
    getPage<QueuedPayout>('/backoffice/withdrawals/approval-queue', {
      merchantId: /^mer_/.test(merchantId) ? merchantId : undefined,
      limit: 25,
      startingAfter: cursor,
    }),
  );
  const [selected, setSelected] = useState<string[]>([]);
  const [declining, setDeclining] = useState<string[] | null>(null);
  const [results, setResults] = useState<string[]>([]);

  const decide = useMutation({
    mutationFn: async ({ kind, ids, reason }: Decision & { reason?: string }) => {
      const lines: string[] = [];
      // One request per payout: each is its own decision (and its own audit row); one refusal does not stop the rest.
      for (const id of ids) {
        try {
          await api.post(kind === 'approve' ? '/backoffice/withdrawals/{id}/approve' : '/backoffice/withdrawals/{id}/decline', {
            path: { id },
            body: kind === 'decline' ? { reason } : {},
          });
          lines.push(`${id}: ${kind === 'approve' ? 'approved' : 'declined'}`);
        } catch (e) {
          lines.push(`${id}: not ${kind === 'approve' ? 'approved' : 'declined'}: ${errorText(e)}`);
        }
      }
      return lines;
    },
    onSuccess: (lines) => {
      setResults(lines);
      setSelected([]);
      setDeclining(null);
      void queries.invalidateQueries({ queryKey: ['payouts'] });
      void queries.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
  const approver = can('approver');

  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title">Waiting for approval (oldest first)</h2>
      <MerchantField
        value={merchantId}
        onChange={(id) => {
          setMerchantId(id);
          setSelected([]);
        }}
      />
      {approver ? (
        <div className="toolbar" role="group" aria-label="Bulk actions">
          <button type="button" disabled={!selected.length || decide.isPending} onClick={() => decide.mutate({ kind: 'approve', ids: selected })}>
            Approve selected ({selected.length})
          </button>
          <button type="button" disabled={!selected.length || decide.isPending} onClick={() => setDeclining(selected)}>
            Decline selected ({selected.length})
          </button>
        </div>
      ) : null}
      {results.length ? (
        <ul role="status" className="notice">
          {results.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No payouts are waiting for approval.">
        {(page) => (
          <table aria-label="Payouts waiting for approval">
            <thead>
              <tr>
                {approver ? (
                  <th scope="col">
                    <span className="sr-only">Select</span>
                  </th>
                ) : null}
                <th scope="col">ID</th>
                <th scope="col">Created</th>
                <th scope="col">Merchant</th>
                <th scope="col">User</th>
                <th scope="col">Type</th>
                <th scope="col">Amount</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((p) => (
                <tr key={p.id}>
                  {approver ? (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${p.id}`}
                        disabled={!p.approvable}
                        checked={selected.includes(p.id)}
                        onChange={(e) => setSelected(e.target.checked ? [...selected, p.id] : selected.filter((x) => x !== p.id))}
                      />
                    </td>
                  ) : null}
                  <td>
                    <Link to={`/transactions/${p.id}`}>{p.id}</Link>
                  </td>
                  <td>
                    <When at={p.createdAt} />
                  </td>
                  <td>{p.merchantId}</td>
                  <td>{p.userId}</td>
                  <td>{p.txType}</td>
                  <td className="num">{formatMoney(p.amount, p.currency)}</td>
                  <td>
                    {p.approvable ? (
                      <>
                        <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ kind: 'approve', ids: [p.id] })}>
                          Approve
                        </button>
                        <button type="button" disabled={decide.isPending} onClick={() => setDeclining([p.id])}>
                          Decline
                        </button>
                      </>
                    ) : p.notApprovableReason === 'own_payout' ? (
                      <span className="muted">Your payout: another approver releases it</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      {pager}
      {declining ? (
        <DeclineDialog
          count={declining.length}
          pending={decide.isPending}
          error={decide.isError ? errorText(decide.error) : null}
          onClose={() => setDeclining(null)}
          onConfirm={(reason) => decide.mutate({ kind: 'decline', ids: declining, reason })}
        />
      ) : null}
    </section>
  );
}

function DeclineDialog({
  count,
  pending,
  error,
  onClose,
  onConfirm,
}: {
  count: number;
  pending: boolean;
  error: string | null;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Dialog title={count === 1 ? 'Decline payout' : `Decline ${count} payouts`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim().length < 3) return setProblem('Give a reason of at least 3 characters');
          onConfirm(reason.trim());
        }}
      >
        <Field label="Reason" hint="Required; the merchant's webhook and the audit log carry it">
          {(id) => <input id={id} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        {problem || error ? (
          <p role="alert" className="error">
            {problem ?? error}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={pending}>
            Confirm decline
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const MANUAL_TYPES = ['WalletWithdrawal', 'BankLocalWithdrawal'] as const;

function ManualWithdrawal() {
  const queries = useQueryClient();
  const empty = { merchantId: '', userId: '', merchantTxId: '', txType: 'WalletWithdrawal', amount: '', currency: '', country: '', account: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; status: string } | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<{ id: string; status: string }>('/backoffice/withdrawals', { body }),
    onSuccess: (r) => {
      setCreated(r);
      setForm(empty);
      void queries.invalidateQueries({ queryKey: ['payouts'] });
    },
    onError: (e) => setError(errorText(e)),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(null);
    const currency = form.currency.trim().toUpperCase();
    if (exponentOf(currency) === null) return setError(`${currency || 'The currency'} is not a currency payhub knows`);
    const amount = parseMajor(form.amount, currency);
    if ('error' in amount) return setError(`Amount: ${amount.error}`);
    if (amount.minor <= 0n) return setError('Amount: enter an amount above zero');
    setError(null);
    create.mutate({
      merchantId: form.merchantId,
      userId: form.userId.trim(),
      merchantTxId: form.merchantTxId.trim(),
      txType: form.txType,
      amount: Number(amount.minor),
      currency,
      ...(form.country.trim() ? { country: form.country.trim().toUpperCase() } : {}),
      ...(form.txType === 'WalletWithdrawal' ? { wallet: { account: form.account.trim() } } : { bank: { accountNumber: form.account.trim() } }),
    });
  }
  return (
    <section aria-labelledby="manual-title">
      <h2 id="manual-title">Manual withdrawal on a user's behalf</h2>
      <form className="grid" onSubmit={submit} aria-label="Manual withdrawal">
        <MerchantField required value={form.merchantId} onChange={(merchantId) => setForm({ ...form, merchantId })} />
        <Field label="User id">{(id) => <input id={id} required value={form.userId} onChange={set('userId')} />}</Field>
        <Field label="Merchant tx id">{(id) => <input id={id} required value={form.merchantTxId} onChange={set('merchantTxId')} />}</Field>
        <Field label="Withdrawal type">
          {(id) => (
            <select id={id} value={form.txType} onChange={set('txType')}>
              {MANUAL_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Withdrawal amount" hint="Major units of the currency">
          {(id) => <input id={id} required inputMode="decimal" value={form.amount} onChange={set('amount')} />}
        </Field>
        <Field label="Withdrawal currency">{(id) => <input id={id} required maxLength={8} value={form.currency} onChange={set('currency')} />}</Field>
        <Field label="Country">{(id) => <input id={id} maxLength={2} value={form.country} onChange={set('country')} />}</Field>
        <Field label={form.txType === 'WalletWithdrawal' ? 'Wallet account' : 'Bank account number'}>
          {(id) => <input id={id} required value={form.account} onChange={set('account')} />}
        </Field>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={create.isPending}>
            Create withdrawal
          </button>
        </div>
      </form>
      {created ? (
        <p role="status" className="notice">
          Withdrawal <Link to={`/transactions/${created.id}`}>{created.id}</Link> created: {created.status}; another staff member approves it.
        </p>
      ) : null}
    </section>
  );
}

function PendingChanges() {
  const queries = useQueryClient();
  const { me } = useAuth();
  const { query, pager } = usePagedQuery(['pending-changes'], (cursor) =>
    getPage<PendingChange>('/backoffice/pending-changes', { status: 'pending', limit: 20, startingAfter: cursor }),
  );
  const [message, setMessage] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: ({ id, kind }: { id: string; kind: 'confirm' | 'reject' }) =>
      api.post<PendingChange>(kind === 'confirm' ? '/backoffice/pending-changes/{id}/confirm' : '/backoffice/pending-changes/{id}/reject', { path: { id } }),
    onSuccess: (c, v) => {
      setMessage(`${c.kind} ${v.kind === 'confirm' ? 'confirmed' : 'rejected'}`);
      void queries.invalidateQueries({ queryKey: ['pending-changes'] });
    },
    onError: (e) => setMessage(errorText(e)),
  });
  return (
    <section aria-labelledby="changes-title">
      <h2 id="changes-title">Pending changes (maker-checker)</h2>
      {message ? (
        <p role="status" className="notice">
          {message}
        </p>
      ) : null}
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No changes wait for a second admin.">
        {(page) => (
          <ul className="changes" aria-label="Pending changes">
            {page.items.map((c) => {
              const proposer = typeof c.proposedBy === 'object' && c.proposedBy ? c.proposedBy : null;
              const mine = proposer?.id === me?.id;
              return (
                <li key={c.id}>
                  <h3>{c.kind}</h3>
                  <p>
                    Proposed by {proposer?.email ?? proposer?.id ?? '—'} · expires <When at={c.expiresAt} />
                  </p>
                  <div className="diff">
                    <div>
                      <h4>Before</h4>
                      <Json value={c.before} />
                    </div>
                    <div>
                      <h4>After</h4>
                      <Json value={c.after} />
                    </div>
                  </div>
                  {mine ? (
                    <p className="muted">Your proposal: another admin confirms it.</p>
                  ) : (
                    <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ id: c.id, kind: 'confirm' })}>
                      Confirm change
                    </button>
                  )}
                  <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ id: c.id, kind: 'reject' })}>
                    {mine ? 'Withdraw change' : 'Reject change'}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </QueryState>
      {pager}
    </section>
  );
}
