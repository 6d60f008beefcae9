import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Table, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api, getPage } from '../api/client';
import type { PendingChange, QueuedPayout, StaffTransaction } from '../api/types';
import { useAuth } from '../auth';
import { exponentOf, formatMoney, parseMajor } from '../money';
import { Dialog, errorText, Json, MerchantField, QueryState, usePagedQuery, When } from '../ui';

export function Payouts() {
  const { can } = useAuth();
  return (
    <section aria-labelledby="payouts-title">
      <Title order={1} id="payouts-title" size="h2" mb="md">
        Payouts
      </Title>
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
        <Group className="toolbar" role="group" aria-label="Bulk actions" gap="xs" my="sm">
          <Button variant="default" disabled={!selected.length || decide.isPending} onClick={() => decide.mutate({ kind: 'approve', ids: selected })}>
            Approve selected ({selected.length})
          </Button>
          <Button variant="default" disabled={!selected.length || decide.isPending} onClick={() => setDeclining(selected)}>
            Decline selected ({selected.length})
          </Button>
        </Group>
      ) : null}
      {results.length ? (
        <Alert role="status" color="blue" variant="light" className="notice" my="xs">
          <ul>
            {results.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No payouts are waiting for approval.">
        {(page) => (
          <Table aria-label="Payouts waiting for approval">
            <Table.Thead>
              <Table.Tr>
                {approver ? (
                  <Table.Th scope="col">
                    <span className="sr-only">Select</span>
                  </Table.Th>
                ) : null}
                <Table.Th scope="col">ID</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
                <Table.Th scope="col">Merchant</Table.Th>
                <Table.Th scope="col">User</Table.Th>
                <Table.Th scope="col">Type</Table.Th>
                <Table.Th scope="col">Amount</Table.Th>
                <Table.Th scope="col">Decision</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((p) => (
                <Table.Tr key={p.id}>
                  {approver ? (
                    <Table.Td>
                      <Checkbox
                        size="xs"
                        aria-label={`Select ${p.id}`}
                        disabled={!p.approvable}
                        checked={selected.includes(p.id)}
                        onChange={(e) => setSelected(e.target.checked ? [...selected, p.id] : selected.filter((x) => x !== p.id))}
                      />
                    </Table.Td>
                  ) : null}
                  <Table.Td>
                    <Anchor component={Link} to={`/transactions/${p.id}`}>
                      {p.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <When at={p.createdAt} />
                  </Table.Td>
                  <Table.Td>{p.merchantId}</Table.Td>
                  <Table.Td>{p.userId}</Table.Td>
                  <Table.Td>{p.txType}</Table.Td>
                  <Table.Td className="num">{formatMoney(p.amount, p.currency)}</Table.Td>
                  <Table.Td>
                    {p.approvable ? (
                      <>
                        <Button variant="default" disabled={decide.isPending} onClick={() => decide.mutate({ kind: 'approve', ids: [p.id] })}>
                          Approve
                        </Button>
                        <Button variant="default" disabled={decide.isPending} onClick={() => setDeclining([p.id])}>
                          Decline
                        </Button>
                      </>
                    ) : p.notApprovableReason === 'own_payout' ? (
                      <Text span c="dimmed" size="sm" className="wrap">
                        Your payout: another approver releases it
                      </Text>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
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
        <TextInput
          label="Reason"
          description="Required; the merchant's webhook and the audit log carry it"
          inputWrapperOrder={['label', 'input', 'description']}
          data-autofocus
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        {problem || error ? (
          <Alert color="red" variant="light" className="error" mt="xs">
            {problem ?? error}
          </Alert>
        ) : null}
        <Group className="actions" gap="xs" mt="md">
          <Button type="submit" disabled={pending}>
            Confirm decline
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
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
  const [created, setCreated] = useState<StaffTransaction | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<StaffTransaction>('/backoffice/withdrawals', { body }),
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
      <Paper component="form" onSubmit={submit} aria-label="Manual withdrawal" withBorder p="sm">
        <SimpleGrid cols={4} spacing="sm" verticalSpacing="xs">
          <MerchantField required value={form.merchantId} onChange={(merchantId) => setForm({ ...form, merchantId })} />
          <TextInput label="User id" required withAsterisk={false} value={form.userId} onChange={set('userId')} />
          <TextInput label="Merchant tx id" required withAsterisk={false} value={form.merchantTxId} onChange={set('merchantTxId')} />
          <NativeSelect label="Withdrawal type" value={form.txType} onChange={set('txType')} data={[...MANUAL_TYPES]} />
          <TextInput
            label="Withdrawal amount"
            description="Major units of the currency"
            inputWrapperOrder={['label', 'input', 'description']}
            required
            withAsterisk={false}
            inputMode="decimal"
            value={form.amount}
            onChange={set('amount')}
          />
          <TextInput label="Withdrawal currency" required withAsterisk={false} maxLength={8} value={form.currency} onChange={set('currency')} />
          <TextInput label="Country" maxLength={2} value={form.country} onChange={set('country')} />
          <TextInput
            label={form.txType === 'WalletWithdrawal' ? 'Wallet account' : 'Bank account number'}
            required
            withAsterisk={false}
            value={form.account}
            onChange={set('account')}
          />
        </SimpleGrid>
        {error ? (
          <Alert color="red" variant="light" className="error" mt="xs">
            {error}
          </Alert>
        ) : null}
        <Group className="actions" mt="sm">
          <Button type="submit" disabled={create.isPending}>
            Create withdrawal
          </Button>
        </Group>
      </Paper>
      {created ? (
        <Alert role="status" color="green" variant="light" className="notice" mt="xs">
          Withdrawal{' '}
          <Anchor component={Link} to={`/transactions/${created.id}`}>
            {created.id}
          </Anchor>{' '}
          created: {created.status}; another staff member approves it.
        </Alert>
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
        <Alert role="status" color="blue" variant="light" className="notice" mb="xs">
          {message}
        </Alert>
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
                    <Text c="dimmed" size="sm">
                      Your proposal: another admin confirms it.
                    </Text>
                  ) : (
                    <Button variant="default" disabled={decide.isPending} onClick={() => decide.mutate({ id: c.id, kind: 'confirm' })}>
                      Confirm change
                    </Button>
                  )}
                  <Button variant="default" disabled={decide.isPending} onClick={() => decide.mutate({ id: c.id, kind: 'reject' })}>
                    {mine ? 'Withdraw change' : 'Reject change'}
                  </Button>
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
