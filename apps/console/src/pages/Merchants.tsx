import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, getPage } from '../api/client';
import type { ApiKey, ApiKeyCreated, Merchant, MerchantCreated, PayoutAutoApprove, PendingChange, WebhookSecretRotated } from '../api/types';
import { useAuth } from '../auth';
import { CheckedField, FormError, issuesOf, ShownOnce, type FieldIssues } from '../field-errors';
import { exponentOf, formatMoney, majorInput, parseMajor } from '../money';
import { Dialog, QueryState, StatusBadge, usePagedQuery, When } from '../ui';

export type MerchantView = Merchant;

/** A JSON number when exact, else the digits (the API then refuses it at the field rather than a rounded amount passing). */
const minorForJson = (minor: bigint): number | string => (minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : minor.toString());

export function Merchants() {
  const { can } = useAuth();
  const { query, pager } = usePagedQuery(['merchants', 'list'], (cursor) =>
    getPage<MerchantView>('/backoffice/merchants', { limit: 25, startingAfter: cursor }),
  );
  return (
    <section aria-labelledby="merchants-title">
      <h1 id="merchants-title">Merchants</h1>
      {can('admin') ? <CreateMerchant /> : null}
      <h2>All merchants</h2>
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No merchants yet.">
        {(page) => (
          <Table aria-label="Merchants">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">ID</Table.Th>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Webhook URL</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Link to={`/merchants/${m.id}`}>{m.id}</Link>
                  </Table.Td>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={m.status} />
                  </Table.Td>
                  <Table.Td>{m.webhookUrl ?? <span className="muted">—</span>}</Table.Td>
                  <Table.Td>
                    <When at={m.createdAt} />
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

function CreateMerchant() {
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [webhookUrl, setWebhookUrl] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post<MerchantCreated>('/backoffice/merchants', {
        body: { name: name.trim(), ...(webhookUrl.trim() ? { webhookUrl: webhookUrl.trim() } : {}) },
      }),
    onSuccess: () => {
      setName('');
      setWebhookUrl('');
      void queries.invalidateQueries({ queryKey: ['merchants'] });
    },
  });
  const issues = issuesOf(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="create-merchant-title">
      <h2 id="create-merchant-title">Create a merchant</h2>
      <form onSubmit={submit} className="grid" aria-label="Create a merchant" noValidate>
        <CheckedField label="Name" issue={issues.name}>
          {(p) => <input {...p} value={name} required autoComplete="off" onChange={(e) => setName(e.target.value)} />}
        </CheckedField>
        <CheckedField label="Webhook URL" issue={issues.webhookUrl} hint="https://…; optional">
          {(p) => <input {...p} type="url" value={webhookUrl} autoComplete="off" onChange={(e) => setWebhookUrl(e.target.value)} />}
        </CheckedField>
        <div className="actions">
          <Button type="submit" disabled={create.isPending}>
            Create merchant
          </Button>
        </div>
        <FormError error={create.error} shown={['name', 'webhookUrl']} />
      </form>
      {create.data ? (
        <div role="region" aria-label="New merchant credentials" className="notice">
          <p>
            Created <Link to={`/merchants/${create.data.merchant.id}`}>{create.data.merchant.name}</Link> (<code>{create.data.merchant.id}</code>).
          </p>
          <ShownOnce label="API key" value={create.data.apiKey} copyName="Copy API key" />
          <ShownOnce label="Webhook secret" value={create.data.webhookSecret} copyName="Copy webhook secret" />
        </div>
      ) : null}
    </section>
  );
}

export function MerchantDetailPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const merchant = useQuery({ queryKey: ['merchants', 'one', id], queryFn: () => api.get<MerchantView>('/backoffice/merchants/{id}', { path: { id } }) });
  return (
    <section aria-labelledby="merchant-title">
      <p>
        <Link to="/merchants">All merchants</Link>
      </p>
      <QueryState query={merchant}>
        {(m) => (
          <>
            <h1 id="merchant-title">Merchant {m.name}</h1>
            <dl className="summary" aria-label="Merchant summary">
              <dt>ID</dt>
              <dd>{m.id}</dd>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={m.status} />
              </dd>
              <dt>Webhook URL</dt>
              <dd>{m.webhookUrl ?? <span className="muted">none</span>}</dd>
              <dt>Previous secret signs until</dt>
              <dd>
                <When at={m.previousWebhookSecretExpiresAt} />
              </dd>
              <dt>Created</dt>
              <dd>
                <When at={m.createdAt} />
              </dd>
            </dl>
            <p>
              <Link to={`/merchants/${m.id}/webhook-events`}>Webhook events of this merchant</Link>
              {can('admin') ? (
                <>
                  {' · '}
                  <Link to={`/routing/${m.id}`}>Routing of this merchant</Link>
                </>
              ) : null}
            </p>
            {can('admin') ? <EditMerchant merchant={m} /> : null}
            {can('admin') ? <RotateSecret merchant={m} /> : null}
            <ApiKeys merchantId={m.id} />
            <PayoutAutoApproveRules merchantId={m.id} />
          </>
        )}
      </QueryState>
    </section>
  );
}

function EditMerchant({ merchant }: { merchant: MerchantView }) {
  const queries = useQueryClient();
  const [name, setName] = useState(merchant.name);
  const [status, setStatus] = useState(merchant.status);
  const [webhookUrl, setWebhookUrl] = useState(merchant.webhookUrl ?? '');
  const [saved, setSaved] = useState(false);
  const update = useMutation({
    mutationFn: () => {
      // Only what changed: a PATCH of an unchanged name would still be checked for uniqueness.
      const body: Record<string, unknown> = {};
      if (name.trim() !== merchant.name) body.name = name.trim();
      if (status !== merchant.status) body.status = status;
      const url = webhookUrl.trim() === '' ? null : webhookUrl.trim();
      if (url !== merchant.webhookUrl) body.webhookUrl = url;
      return api.patch<MerchantView>('/backoffice/merchants/{id}', { path: { id: merchant.id }, body });
    },
    onSuccess: (after) => {
      setSaved(true);
      queries.setQueryData(['merchants', 'one', merchant.id], after);
      void queries.invalidateQueries({ queryKey: ['merchants', 'list'] });
    },
  });
  const issues = issuesOf(update.error);
  return (
    <section aria-labelledby="edit-merchant-title">
      <h2 id="edit-merchant-title">Edit</h2>
      <form
        className="grid"
        aria-label="Edit merchant"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          update.mutate();
        }}
      >
        <CheckedField label="Name" issue={issues.name}>
          {(p) => <input {...p} value={name} autoComplete="off" onChange={(e) => setName(e.target.value)} />}
        </CheckedField>
        <CheckedField label="Status" issue={issues.status} hint="a disabled merchant's API keys stop working at once">
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value as MerchantView['status'])}>
              <option value="active">active</option>
              <option value="disabled">disabled</option>
            </select>
          )}
        </CheckedField>
        <CheckedField label="Webhook URL" issue={issues.webhookUrl} hint="empty removes it">
          {(p) => <input {...p} type="url" value={webhookUrl} autoComplete="off" onChange={(e) => setWebhookUrl(e.target.value)} />}
        </CheckedField>
        <div className="actions">
          <Button type="submit" disabled={update.isPending}>
            Save changes
          </Button>
          {saved ? <span role="status">Saved</span> : null}
        </div>
        <FormError error={update.error} shown={['name', 'status', 'webhookUrl']} />
      </form>
    </section>
  );
}

function RotateSecret({ merchant }: { merchant: MerchantView }) {
  const queries = useQueryClient();
  const [hours, setHours] = useState('24');
  const [localIssue, setLocalIssue] = useState<string | undefined>();
  const rotate = useMutation({
    mutationFn: (gracePeriodSeconds: number) =>
      api.post<WebhookSecretRotated>('/backoffice/merchants/{id}/webhook-secret/rotate', {
        path: { id: merchant.id },
        body: { gracePeriodSeconds },
      }),
    onSuccess: (answer) => queries.setQueryData(['merchants', 'one', merchant.id], answer.merchant),
  });
  const issues = issuesOf(rotate.error);
  return (
    <section aria-labelledby="rotate-title">
      <h2 id="rotate-title">Webhook secret</h2>
      <form
        className="grid"
        aria-label="Rotate webhook secret"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const text = hours.trim();
          if (!/^\d+(\.\d+)?$/.test(text)) return setLocalIssue('Enter a number of hours (0 retires the old secret at once)');
          setLocalIssue(undefined);
          rotate.mutate(Math.round(Number(text) * 3600));
        }}
      >
        <CheckedField
          label="Grace period (hours)"
          issue={localIssue ?? issues.gracePeriodSeconds}
          hint="how long the old secret keeps signing beside the new one; at most 168"
        >
          {(p) => <input {...p} inputMode="decimal" value={hours} onChange={(e) => setHours(e.target.value)} />}
        </CheckedField>
        <div className="actions">
          <Button type="submit" disabled={rotate.isPending}>
            Rotate webhook secret
          </Button>
        </div>
        <FormError error={rotate.error} shown={['gracePeriodSeconds']} />
      </form>
      {rotate.data ? (
        <div role="region" aria-label="New webhook secret" className="notice">
          <ShownOnce label="Webhook secret" value={rotate.data.webhookSecret} copyName="Copy webhook secret" />
        </div>
      ) : null}
    </section>
  );
}

function ApiKeys({ merchantId }: { merchantId: string }) {
  const { can } = useAuth();
  const queries = useQueryClient();
  const list = useQuery({
    queryKey: ['merchants', 'api-keys', merchantId, 'list'],
    queryFn: async () => (await api.get<{ data: ApiKey[] }>('/backoffice/merchants/{id}/api-keys', { path: { id: merchantId } })).data,
  });
  const [label, setLabel] = useState('');
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.post<ApiKeyCreated>('/backoffice/merchants/{id}/api-keys', {
        path: { id: merchantId },
        body: label.trim() ? { label: label.trim() } : {},
      }),
    onSuccess: () => {
      setLabel('');
      void queries.invalidateQueries({ queryKey: ['merchants', 'api-keys', merchantId] });
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => api.post<ApiKey>('/backoffice/merchants/{id}/api-keys/{keyId}/revoke', { path: { id: merchantId, keyId } }),
    onSuccess: () => {
      setRevoking(null);
      void queries.invalidateQueries({ queryKey: ['merchants', 'api-keys', merchantId] });
    },
  });
  const issues = issuesOf(create.error);
  const admin = can('admin');
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <QueryState query={list} isEmpty={(k) => k.length === 0} empty="No API keys.">
        {(rows) => (
          <Table aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Prefix</Table.Th>
                <Table.Th scope="col">Label</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
                <Table.Th scope="col">Revoked</Table.Th>
                {admin ? <Table.Th scope="col">Action</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>
                    <code>{k.prefix}…</code>
                  </Table.Td>
                  <Table.Td>{k.label ?? <span className="muted">—</span>}</Table.Td>
                  <Table.Td>
                    <When at={k.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <When at={k.revokedAt} />
                  </Table.Td>
                  {admin ? (
                    <Table.Td>
                      {k.revokedAt ? null : (
                        <Button variant="default" onClick={() => setRevoking(k)}>
                          Revoke {k.prefix}
                        </Button>
                      )}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {admin ? (
        <form
          className="grid"
          aria-label="Create API key"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <CheckedField label="Key label" issue={issues.label} hint="optional, e.g. backend-2">
            {(p) => <input {...p} value={label} autoComplete="off" onChange={(e) => setLabel(e.target.value)} />}
          </CheckedField>
          <div className="actions">
            <Button type="submit" disabled={create.isPending}>
              Create API key
            </Button>
          </div>
          <FormError error={create.error} shown={['label']} />
        </form>
      ) : null}
      {create.data ? (
        <div role="region" aria-label="New API key" className="notice">
          <ShownOnce label="API key" value={create.data.apiKey} copyName="Copy API key" />
        </div>
      ) : null}
      {revoking ? (
        <Dialog title={`Revoke API key ${revoking.prefix}…`} onClose={() => setRevoking(null)}>
          <p>Requests with this key are refused at once, in every payhub process. This cannot be undone.</p>
          <FormError error={revoke.error} shown={[]} />
          <div className="actions">
            <Button variant="default" disabled={revoke.isPending} onClick={() => revoke.mutate(revoking.id)}>
              Confirm revoke
            </Button>
            <Button variant="default" onClick={() => setRevoking(null)}>
              Cancel
            </Button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}

type RuleRow = { currency: string; below: string };

function PayoutAutoApproveRules({ merchantId }: { merchantId: string }) {
  const { can } = useAuth();
  const [outcome, setOutcome] = useState<string | null>(null);
  const settings = useQuery({
    queryKey: ['merchants', 'payout-auto-approve', merchantId],
    queryFn: () => api.get<PayoutAutoApprove>('/backoffice/merchants/{id}/payout-auto-approve', { path: { id: merchantId } }),
  });
  // Pending proposals for this merchant's rules: made here or elsewhere, waiting for a second admin.
  const pending = useQuery({
    queryKey: ['merchants', 'payout-auto-approve', merchantId, 'pending'],
    enabled: can('admin'),
    queryFn: async () =>
      (await getPage<PendingChange>('/backoffice/pending-changes', { status: 'pending', limit: 100 })).items.filter(
        (c) => c.kind === 'payout_auto_approve' && (c.target as { id?: string } | null)?.id === merchantId,
      ),
  });
  return (
    <section aria-labelledby="auto-approve-title">
      <h2 id="auto-approve-title">Payout auto-approve</h2>
      <p className="muted">Payouts strictly below the limit of their currency are approved without staff; others wait in the approval queue.</p>
      <QueryState query={settings}>
        {(s) => (
          <>
            {s.rules.length === 0 ? (
              <p className="empty">No limits: every payout waits for staff.</p>
            ) : (
              <Table aria-label="Payout auto-approve limits">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Currency</Table.Th>
                    <Table.Th scope="col">Approved without staff below</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.rules.map((r) => (
                    <Table.Tr key={r.currency}>
                      <Table.Td>{r.currency}</Table.Td>
                      <Table.Td className="num">{formatMoney(r.below, r.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {/* Keyed by the limits in force: a confirmed proposal or a refetch starts the editor from them. */}
            {can('admin') ? (
              <AutoApproveEditor key={JSON.stringify(s.rules)} merchantId={merchantId} current={s} outcome={outcome} setOutcome={setOutcome} />
            ) : null}
          </>
        )}
      </QueryState>
      {pending.data && pending.data.length > 0 ? (
        <div role="region" aria-label="Pending auto-approve changes">
          <h3>Waiting for a second admin</h3>
          <ul className="changes">
            {pending.data.map((c) => (
              <li key={c.id}>
                <strong>pending</strong> <code>{c.id}</code>:{' '}
                {((c.after as Partial<PayoutAutoApprove>).rules ?? []).map((r) => `${r.currency} below ${formatMoney(r.below, r.currency)}`).join(', ') ||
                  'no limits'}{' '}
                · proposed by {typeof c.proposedBy === 'object' && c.proposedBy ? (c.proposedBy.email ?? c.proposedBy.id) : String(c.proposedBy)} · expires{' '}
                <When at={c.expiresAt} /> · <Link to="/payouts">confirm or reject in Payouts</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function AutoApproveEditor({
  merchantId,
  current,
  outcome,
  setOutcome,
}: {
  merchantId: string;
  current: PayoutAutoApprove;
  /** Kept by the parent: the editor restarts when the limits in force change, the message stays. */
  outcome: string | null;
  setOutcome: (text: string | null) => void;
}) {
  const queries = useQueryClient();
  const [rows, setRows] = useState<RuleRow[]>(() => current.rules.map((r) => ({ currency: r.currency, below: majorInput(r.below, r.currency) })));
  const [local, setLocal] = useState<FieldIssues>({});
  const save = useMutation({
    mutationFn: (rules: Array<{ currency: string; below: number | string }>) =>
      api.putWithStatus<PayoutAutoApprove | PendingChange>('/backoffice/merchants/{id}/payout-auto-approve', { path: { id: merchantId }, body: { rules } }),
    onSuccess: ({ status, body }) => {
      setOutcome(
        status === 202
          ? `Proposed: pending change ${(body as PendingChange).id} applies when a second admin confirms it.`
          : 'Saved: the new limits apply at once (they allow no more than before).',
      );
      void queries.invalidateQueries({ queryKey: ['merchants', 'payout-auto-approve', merchantId] });
    },
  });
  const issues = { ...issuesOf(save.error), ...local };
  const set = (i: number, patch: Partial<RuleRow>) => setRows((r) => r.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOutcome(null);
    const problems: FieldIssues = {};
    const rules = rows.map((row, i) => {
      const currency = row.currency.trim().toUpperCase();
      if (exponentOf(currency) === null) problems[`rules[${i}].currency`] = 'is not a currency payhub supports';
      const parsed = exponentOf(currency) === null ? null : parseMajor(row.below, currency);
      if (parsed && 'error' in parsed) problems[`rules[${i}].below`] = parsed.error;
      return { currency, below: parsed && 'minor' in parsed ? minorForJson(parsed.minor) : 0 };
    });
    setLocal(problems);
    if (Object.keys(problems).length === 0) save.mutate(rules);
  };
  const shown = rows.flatMap((_, i) => [`rules[${i}].currency`, `rules[${i}].below`]);
  return (
    <form aria-label="Edit auto-approve limits" noValidate onSubmit={submit}>
      <fieldset>
        <legend>Limits per currency</legend>
        {rows.map((row, i) => (
          <div className="editor-row" key={i} role="group" aria-label={`Limit ${i + 1}`}>
            <CheckedField label={`Currency of limit ${i + 1}`} issue={issues[`rules[${i}].currency`]}>
              {(p) => <input {...p} value={row.currency} maxLength={5} onChange={(e) => set(i, { currency: e.target.value })} />}
            </CheckedField>
            <CheckedField
              label={`Below (major units) of limit ${i + 1}`}
              issue={issues[`rules[${i}].below`]}
              hint={exponentOf(row.currency.trim().toUpperCase()) !== null ? `${exponentOf(row.currency.trim().toUpperCase())} decimals` : undefined}
            >
              {(p) => <input {...p} inputMode="decimal" value={row.below} onChange={(e) => set(i, { below: e.target.value })} />}
            </CheckedField>
            <Button variant="default" onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>
              Remove limit {i + 1}
            </Button>
          </div>
        ))}
        <Button variant="default" onClick={() => setRows((r) => [...r, { currency: '', below: '' }])}>
          Add limit
        </Button>
      </fieldset>
      <div className="actions">
        <Button type="submit" disabled={save.isPending}>
          Save auto-approve limits
        </Button>
      </div>
      {outcome ? (
        <p role="status" className="notice">
          {outcome}
        </p>
      ) : null}
      <FormError error={save.error} shown={shown} />
    </form>
  );
}
