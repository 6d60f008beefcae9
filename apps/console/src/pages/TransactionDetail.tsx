import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, Group, NativeSelect, Text, TextInput, Title } from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { FORCEABLE_STATUSES, forceRefusal } from '../../../../libs/backoffice/src/operations/force-rules';
import { TxStatus } from '../../../../libs/domain/src/tx-status';
import { DEPOSIT_TX_TYPES, RETURN_TX_TYPES, TxType } from '../../../../libs/domain/src/tx-type';
import { api, getPage } from '../api/client';
import type { StaffTransaction, StatusCheckResult, TransactionDetail, TransactionTimeline, WebhookDelivery } from '../api/types';
import { useAuth } from '../auth';
import { formatMoney, parseMajor } from '../money';
import { Dialog, errorText, Json, QueryState, StatusBadge, When } from '../ui';

const CLOSED = ['FAILED', 'CANCELLED'];

/** What can still be refunded: the settled (or requested) amount less every refund or reversal that is not FAILED or CANCELLED. */
function refundable(tx: TransactionDetail): bigint {
  const ceiling = BigInt(tx.settledAmount ?? tx.amount);
  const committed = tx.children
    .filter((c) => RETURN_TX_TYPES.includes(c.txType as TxType) && !CLOSED.includes(c.status))
    .reduce((sum, c) => sum + BigInt(c.amount), 0n);
  return ceiling > committed ? ceiling - committed : 0n;
}

type Action = 'refund' | 'reverse' | 'force' | null;

/** One page state per transaction: opening another starts with no dialog or notice left from the last. */
export function TransactionDetailPage() {
  const { id = '' } = useParams();
  return <TransactionDetail key={id} id={id} />;
}

function TransactionDetail({ id }: { id: string }) {
  const { can } = useAuth();
  const queries = useQueryClient();
  const detail = useQuery({ queryKey: ['transaction', id], queryFn: () => api.get<TransactionDetail>('/backoffice/transactions/{id}', { path: { id } }) });
  const timeline = useQuery({
    queryKey: ['transaction', id, 'timeline'],
    queryFn: () => api.get<TransactionTimeline>('/backoffice/transactions/{id}/timeline', { path: { id } }),
  });
  const deliveries = useQuery({
    queryKey: ['transaction', id, 'deliveries'],
    enabled: can('operator'),
    queryFn: () => getPage<WebhookDelivery>('/backoffice/webhook-deliveries', { transactionId: id, limit: 100 }),
  });
  const [action, setAction] = useState<Action>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ['transaction', id] });

  const checkStatus = useMutation({
    mutationFn: () => api.post<StatusCheckResult>('/backoffice/transactions/{id}/check-status', { path: { id } }),
    onSuccess: (r) => {
      setNotice(`Status check: ${r.result}, now ${r.transaction.status}`);
      void refresh();
    },
  });

  return (
    <section aria-labelledby="detail-title">
      <Text mb="xs">
        <Anchor component={Link} to="/transactions">
          ← Transactions
        </Anchor>
      </Text>
      <Title order={1} id="detail-title" size="h2" mb="md">
        Transaction {id}
      </Title>
      <QueryState query={detail}>
        {(tx) => {
          const status = tx.status as TxStatus;
          const isDeposit = DEPOSIT_TX_TYPES.includes(tx.txType as TxType);
          const left = refundable(tx);
          const activeReturns = tx.children.some((c) => RETURN_TX_TYPES.includes(c.txType as TxType) && !CLOSED.includes(c.status));
          const openConflict = !!tx.conflict && !tx.conflict.resolved;
          const forceTargets = FORCEABLE_STATUSES.filter((to) => to !== status && forceRefusal(status, to, openConflict) === null);
          return (
            <>
              <dl className="summary">
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={tx.status} />
                  {openConflict ? (
                    <Badge color="red" ml={4}>
                      open conflict
                    </Badge>
                  ) : null}
                </dd>
                <dt>Type</dt>
                <dd>
                  {tx.txType}
                  {tx.service ? ` · ${tx.service}` : ''}
                </dd>
                <dt>Amount</dt>
                <dd className="num">{formatMoney(tx.amount, tx.currency)}</dd>
                {tx.settledAmount !== null ? (
                  <>
                    <dt>Settled</dt>
                    <dd className="num">{formatMoney(tx.settledAmount, tx.currency)}</dd>
                  </>
                ) : null}
                <dt>Refunded</dt>
                <dd className="num">{formatMoney(tx.refundedAmount, tx.currency)}</dd>
                {isDeposit ? (
                  <>
                    <dt>Refundable</dt>
                    <dd className="num" data-testid="refundable">
                      {formatMoney(left, tx.currency)}
                    </dd>
                  </>
                ) : null}
                <dt>Merchant</dt>
                <dd>{tx.merchantId}</dd>
                <dt>Merchant tx id</dt>
                <dd>{tx.merchantTxId}</dd>
                <dt>User</dt>
                <dd>{tx.userId}</dd>
                <dt>Provider</dt>
                <dd>
                  {tx.provider ?? '—'}
                  {tx.providerAccount ? ` / ${tx.providerAccount}` : ''}
                </dd>
                <dt>Provider id</dt>
                <dd>{tx.providerTxId ?? '—'}</dd>
                <dt>Routing</dt>
                <dd>{tx.routing.reason ?? '—'}</dd>
                {tx.card ? (
                  <>
                    <dt>Card</dt>
                    <dd>
                      {tx.card.brand} {tx.card.bin}…{tx.card.last4} {tx.card.expiry}
                    </dd>
                  </>
                ) : null}
                {tx.parentId ? (
                  <>
                    <dt>Parent</dt>
                    <dd>
                      <Link to={`/transactions/${tx.parentId}`}>{tx.parentId}</Link>
                    </dd>
                  </>
                ) : null}
                <dt>Created</dt>
                <dd>
                  <When at={tx.createdAt} />
                </dd>
                <dt>Updated</dt>
                <dd>
                  <When at={tx.updatedAt} />
                </dd>
              </dl>
              {tx.failure ? (
                <>
                  <h2>Failure</h2>
                  <Json value={tx.failure} />
                </>
              ) : null}
              <Group className="actions" role="group" aria-label="Actions" gap="xs" align="flex-end">
                {can('operator') && isDeposit && status === TxStatus.SUCCESSFUL && left > 0n ? (
                  <Button variant="default" onClick={() => setAction('refund')}>
                    Refund
                  </Button>
                ) : null}
                {can('operator') && isDeposit && status === TxStatus.SUCCESSFUL && !activeReturns ? (
                  <Button variant="default" onClick={() => setAction('reverse')}>
                    Reverse
                  </Button>
                ) : null}
                {can('admin') && forceTargets.length ? (
                  <Button variant="default" onClick={() => setAction('force')}>
                    Force status
                  </Button>
                ) : null}
                {can('operator') && tx.provider ? (
                  <Button variant="default" onClick={() => checkStatus.mutate()} disabled={checkStatus.isPending}>
                    Check status
                  </Button>
                ) : null}
                {can('operator') ? (
                  <ResendWebhook
                    deliveries={deliveries.data?.items ?? []}
                    onDone={(m) => {
                      setNotice(m);
                      void refresh();
                    }}
                  />
                ) : null}
              </Group>
              {notice ? (
                <Alert role="status" color="green" variant="light" className="notice" my="xs">
                  {notice}
                </Alert>
              ) : null}
              {checkStatus.isError ? (
                <Alert color="red" variant="light" className="error" my="xs">
                  {errorText(checkStatus.error)}
                </Alert>
              ) : null}
              {action === 'refund' ? (
                <RefundDialog
                  tx={tx}
                  left={left}
                  onClose={() => setAction(null)}
                  onDone={(m) => {
                    setAction(null);
                    setNotice(m);
                    void refresh();
                  }}
                />
              ) : null}
              {action === 'reverse' ? (
                <ReverseDialog
                  tx={tx}
                  onClose={() => setAction(null)}
                  onDone={(m) => {
                    setAction(null);
                    setNotice(m);
                    void refresh();
                  }}
                />
              ) : null}
              {action === 'force' ? (
                <ForceDialog
                  tx={tx}
                  targets={forceTargets}
                  onClose={() => setAction(null)}
                  onDone={(m) => {
                    setAction(null);
                    setNotice(m);
                    void refresh();
                  }}
                />
              ) : null}
              {tx.children.length ? (
                <>
                  <h2>Refunds and reversals</h2>
                  <ul>
                    {tx.children.map((c) => (
                      <li key={c.id}>
                        <Link to={`/transactions/${c.id}`}>{c.id}</Link> {c.txType} {formatMoney(c.amount, c.currency)} <StatusBadge status={c.status} />
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </>
          );
        }}
      </QueryState>
      <h2>Timeline</h2>
      <QueryState query={timeline} isEmpty={(t) => t.entries.length === 0} empty="Nothing has happened to this transaction yet.">
        {(t) => (
          <ol className="timeline" aria-label="Timeline">
            {t.entries.map((e, i) => (
              <li key={i} className={`tl-${e.kind}`}>
                <When at={e.at} /> <span className="kind">{e.kind.replace(/_/g, ' ')}</span> <span>{e.summary}</span>
                {e.actor ? <span className="muted"> · {e.actor}</span> : null}
                {e.data !== null && e.data !== undefined ? (
                  <details>
                    <summary>Details</summary>
                    <Json value={e.data} />
                  </details>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </section>
  );
}

function ResendWebhook({ deliveries, onDone }: { deliveries: WebhookDelivery[]; onDone: (m: string) => void }) {
  const [chosen, setChosen] = useState('');
  const resend = useMutation({
    mutationFn: (deliveryId: string) => api.post('/backoffice/webhook-deliveries/{id}/resend', { path: { id: deliveryId } }),
    onSuccess: () => onDone('Webhook queued to be sent again'),
  });
  if (!deliveries.length) return null;
  const target = chosen || deliveries[0].id;
  return (
    <Group gap="xs" align="flex-end" className="inline">
      <NativeSelect
        label="Webhook"
        value={target}
        onChange={(e) => setChosen(e.target.value)}
        data={deliveries.map((d) => ({ value: d.id, label: `${d.type} · ${d.status} · ${d.attemptCount} attempts` }))}
      />
      <Button variant="default" onClick={() => resend.mutate(target)} disabled={resend.isPending}>
        Resend webhook
      </Button>
      {resend.isError ? (
        <Text span role="alert" c="red" className="error">
          {errorText(resend.error)}
        </Text>
      ) : null}
    </Group>
  );
}

function RefundDialog({ tx, left, onClose, onDone }: { tx: TransactionDetail; left: bigint; onClose: () => void; onDone: (m: string) => void }) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const refund = useMutation({
    mutationFn: (minor: bigint) =>
      api.post<StaffTransaction>('/backoffice/transactions/{id}/refunds', {
        path: { id: tx.id },
        body: { amount: Number(minor), ...(reason.trim() ? { reason: reason.trim() } : {}) },
      }),
    onSuccess: (r) => onDone(`Refund ${r.id} of ${formatMoney(r.amount, tx.currency)}: ${r.status}`),
    onError: (e) => setError(errorText(e)),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parseMajor(amount, tx.currency);
    if ('error' in parsed) return setError(parsed.error);
    if (parsed.minor <= 0n) return setError('Enter an amount above zero');
    if (parsed.minor > left) return setError(`At most ${formatMoney(left, tx.currency)} can still be refunded`);
    setError(null);
    refund.mutate(parsed.minor);
  }
  return (
    <Dialog title="Refund" onClose={onClose}>
      <form onSubmit={submit}>
        <p>
          Refundable: <strong>{formatMoney(left, tx.currency)}</strong>
        </p>
        <TextInput
          label="Amount"
          description={`In ${tx.currency}, major units`}
          inputWrapperOrder={['label', 'input', 'description']}
          inputMode="decimal"
          data-autofocus
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
        <TextInput label="Reason" mt="xs" value={reason} onChange={(e) => setReason(e.target.value)} />
        {error ? (
          <Alert color="red" variant="light" className="error" mt="xs">
            {error}
          </Alert>
        ) : null}
        <Group className="actions" gap="xs" mt="md">
          <Button type="submit" disabled={refund.isPending}>
            Confirm refund
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </form>
    </Dialog>
  );
}

function ReverseDialog({ tx, onClose, onDone }: { tx: TransactionDetail; onClose: () => void; onDone: (m: string) => void }) {
  const [reason, setReason] = useState('');
  const reverse = useMutation({
    mutationFn: () =>
      api.post<StaffTransaction>('/backoffice/transactions/{id}/reversal', {
        path: { id: tx.id },
        body: reason.trim() ? { reason: reason.trim() } : {},
      }),
    onSuccess: (r) => onDone(`Reversal ${r.id}: ${r.status}`),
  });
  return (
    <Dialog title="Reverse" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reverse.mutate();
        }}
      >
        <p>Returns the whole {formatMoney(tx.settledAmount ?? tx.amount, tx.currency)} to the customer.</p>
        <TextInput label="Reason" data-autofocus value={reason} onChange={(e) => setReason(e.target.value)} />
        {reverse.isError ? (
          <Alert color="red" variant="light" className="error" mt="xs">
            {errorText(reverse.error)}
          </Alert>
        ) : null}
        <Group className="actions" gap="xs" mt="md">
          <Button type="submit" disabled={reverse.isPending}>
            Confirm reversal
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </form>
    </Dialog>
  );
}

function ForceDialog({
  tx,
  targets,
  onClose,
  onDone,
}: {
  tx: TransactionDetail;
  targets: readonly TxStatus[];
  onClose: () => void;
  onDone: (m: string) => void;
}) {
  const [to, setTo] = useState<string>(targets[0]);
  const [reason, setReason] = useState('');
  const force = useMutation({
    mutationFn: () =>
      api.post<StaffTransaction>('/backoffice/transactions/{id}/force-status', { path: { id: tx.id }, body: { status: to, reason: reason.trim() } }),
    onSuccess: (r) => onDone(`Status forced to ${r.status}`),
  });
  return (
    <Dialog title="Force status" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          force.mutate();
        }}
      >
        <p>From {tx.status}. SUCCESSFUL and FAILED change into each other only through INCONSISTENT.</p>
        <NativeSelect label="New status" data-autofocus value={to} onChange={(e) => setTo(e.target.value)} data={[...targets]} />
        <TextInput
          label="Reason"
          description="Required, at least 3 characters; kept in the audit log"
          inputWrapperOrder={['label', 'input', 'description']}
          mt="xs"
          required
          withAsterisk={false}
          minLength={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        {force.isError ? (
          <Alert color="red" variant="light" className="error" mt="xs">
            {errorText(force.error)}
          </Alert>
        ) : null}
        <Group className="actions" gap="xs" mt="md">
          <Button type="submit" disabled={force.isPending}>
            Confirm force status
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </form>
    </Dialog>
  );
}
