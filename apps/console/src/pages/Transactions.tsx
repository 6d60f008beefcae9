import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Table, Text, TextInput, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { TxStatus } from '../../../../libs/domain/src/tx-status';
import { TxType } from '../../../../libs/domain/src/tx-type';
import { api, getPage } from '../api/client';
import type { Transaction } from '../api/types';
import { exponentOf, formatMoney, majorInput, parseMajor } from '../money';
import { errorText, MerchantField, QueryState, StatusBadge, usePagedQuery, When } from '../ui';

const COLUMNS = [
  { key: 'id', label: 'ID' },
  { key: 'createdAt', label: 'Created' },
  { key: 'merchantId', label: 'Merchant' },
  { key: 'merchantTxId', label: 'Merchant tx id' },
  { key: 'userId', label: 'User' },
  { key: 'txType', label: 'Type' },
  { key: 'status', label: 'Status' },
  { key: 'amount', label: 'Amount' },
  { key: 'refundedAmount', label: 'Refunded' },
  { key: 'provider', label: 'Provider' },
  { key: 'providerTxId', label: 'Provider id' },
  { key: 'country', label: 'Country' },
] as const;
type ColumnKey = (typeof COLUMNS)[number]['key'];
const DEFAULT_COLUMNS: ColumnKey[] = ['id', 'createdAt', 'merchantTxId', 'txType', 'status', 'amount', 'provider'];

/** The filters the API takes (and the URL carries, so a link or a saved view reopens the same list). */
const FILTER_KEYS = ['q', 'merchantId', 'status', 'txType', 'provider', 'currency', 'amountMin', 'amountMax', 'createdFrom', 'createdTo', 'conflict'] as const;

/** Saved views: a name and the filters and columns; kept in this browser only (localStorage holds no token, ever). */
interface SavedView {
  name: string;
  query: string;
  columns: ColumnKey[];
}
const VIEWS_KEY = 'payhub.console.transactionViews';
const COLUMNS_KEY = 'payhub.console.transactionColumns';

function readJson<T>(key: string, fallback: T): T {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '') as T;
  } catch {
    return fallback;
  }
}

function cell(t: Transaction, key: ColumnKey) {
  switch (key) {
    case 'id':
      return (
        <Anchor component={Link} to={`/transactions/${t.id}`}>
          {t.id}
        </Anchor>
      );
    case 'createdAt':
      return <When at={t.createdAt} />;
    case 'status':
      return <StatusBadge status={t.status} />;
    case 'amount':
      return <span className="num">{formatMoney(t.amount, t.currency)}</span>;
    case 'refundedAmount':
      return <span className="num">{formatMoney(t.refundedAmount, t.currency)}</span>;
    default:
      return t[key] ?? '—';
  }
}

/** datetime-local (the browser's local time) to ISO and back. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

export function Transactions() {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined])) as Record<string, string | undefined>;
  const [columns, setColumns] = useState<ColumnKey[]>(() => readJson(COLUMNS_KEY, DEFAULT_COLUMNS));
  const [views, setViews] = useState<SavedView[]>(() => readJson(VIEWS_KEY, []));
  const [viewName, setViewName] = useState('');
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const { query, pager } = usePagedQuery(['transactions', filters], (cursor) =>
    getPage<Transaction>('/backoffice/transactions', { ...filters, limit: 25, startingAfter: cursor }),
  );

  function chooseColumns(next: ColumnKey[]) {
    setColumns(next);
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
  }
  function saveViews(next: SavedView[]) {
    setViews(next);
    localStorage.setItem(VIEWS_KEY, JSON.stringify(next));
  }
  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      await api.download('/backoffice/transactions/export.csv', filters, 'transactions.csv');
    } catch (e) {
      setExportError(errorText(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <section aria-labelledby="tx-title">
      <Title order={1} id="tx-title" size="h2" mb="md">
        Transactions
      </Title>
      <Filters key={params.toString()} filters={filters} onApply={(next) => setParams(next)} />
      <Group className="toolbar" align="flex-start" gap="md" my="sm">
        <details>
          <summary>Columns</summary>
          <fieldset>
            <legend>Columns shown</legend>
            <Group gap="sm">
              {COLUMNS.map((c) => (
                <Checkbox
                  key={c.key}
                  size="xs"
                  label={c.label}
                  checked={columns.includes(c.key)}
                  onChange={(e) =>
                    chooseColumns(
                      e.target.checked
                        ? COLUMNS.filter((x) => x.key === c.key || columns.includes(x.key)).map((x) => x.key)
                        : columns.filter((k) => k !== c.key),
                    )
                  }
                />
              ))}
            </Group>
          </fieldset>
        </details>
        <details>
          <summary>Saved views</summary>
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              if (viewName.trim()) {
                saveViews([...views.filter((v) => v.name !== viewName.trim()), { name: viewName.trim(), query: params.toString(), columns }]);
                setViewName('');
              }
            }}
          >
            <TextInput className="field" label="View name" value={viewName} onChange={(e) => setViewName(e.target.value)} />
            <Button type="submit">Save view</Button>
          </form>
          {views.length === 0 ? (
            <Text className="empty" c="dimmed" size="sm">
              No saved views yet.
            </Text>
          ) : (
            <ul className="views">
              {views.map((v) => (
                <li key={v.name}>
                  <Button
                    variant="default"
                    onClick={() => {
                      chooseColumns(v.columns);
                      setParams(new URLSearchParams(v.query));
                    }}
                  >
                    Open view {v.name}
                  </Button>
                  <Button variant="subtle" onClick={() => saveViews(views.filter((x) => x.name !== v.name))}>
                    Delete view {v.name}
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </details>
        <Button variant="default" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </Button>
        {exportError ? (
          <Alert color="red" variant="light" className="error">
            {exportError}
          </Alert>
        ) : null}
      </Group>
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No transactions match these filters.">
        {(page) => (
          <Table aria-label="Transactions">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.filter((c) => columns.includes(c.key)).map((c) => (
                  <Table.Th key={c.key} scope="col">
                    {c.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((t) => (
                <Table.Tr key={t.id}>
                  {COLUMNS.filter((c) => columns.includes(c.key)).map((c) => (
                    <Table.Td key={c.key}>{cell(t, c.key)}</Table.Td>
                  ))}
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

function Filters({ filters, onApply }: { filters: Record<string, string | undefined>; onApply: (p: URLSearchParams) => void }) {
  const initialCurrency = filters.currency ?? '';
  const [form, setForm] = useState({
    q: filters.q ?? '',
    merchantId: filters.merchantId ?? '',
    status: filters.status ?? '',
    txType: filters.txType ?? '',
    provider: filters.provider ?? '',
    currency: initialCurrency,
    amountMin: filters.amountMin && exponentOf(initialCurrency) !== null ? majorInput(BigInt(filters.amountMin), initialCurrency) : '',
    amountMax: filters.amountMax && exponentOf(initialCurrency) !== null ? majorInput(BigInt(filters.amountMax), initialCurrency) : '',
    createdFrom: toLocal(filters.createdFrom ?? null),
    createdTo: toLocal(filters.createdTo ?? null),
    conflict: filters.conflict ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const currency = form.currency.trim().toUpperCase();

  function apply(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const k of ['q', 'merchantId', 'status', 'txType', 'provider', 'conflict'] as const) if (form[k].trim()) next.set(k, form[k].trim());
    if (currency) {
      if (exponentOf(currency) === null) return setError(`${currency} is not a currency payhub knows`);
      next.set('currency', currency);
    }
    for (const k of ['amountMin', 'amountMax'] as const) {
      if (!form[k].trim()) continue;
      if (!currency) return setError('Choose a currency to filter by amount (amounts are in its major units)');
      const parsed = parseMajor(form[k], currency);
      if ('error' in parsed) return setError(`${k === 'amountMin' ? 'Amount from' : 'Amount to'}: ${parsed.error}`);
      next.set(k, parsed.minor.toString());
    }
    if (form.createdFrom) next.set('createdFrom', toIso(form.createdFrom));
    if (form.createdTo) next.set('createdTo', toIso(form.createdTo));
    setError(null);
    onApply(next);
  }

  return (
    <Paper component="form" className="filters-form" onSubmit={apply} aria-label="Filters" withBorder p="sm" mb="sm">
      <SimpleGrid cols={6} spacing="sm" verticalSpacing="xs">
        <TextInput
          label="Search"
          description="payhub id, merchant tx id, provider id or user id"
          inputWrapperOrder={['label', 'input', 'description']}
          type="search"
          value={form.q}
          onChange={set('q')}
        />
        <MerchantField value={form.merchantId} onChange={(merchantId) => setForm({ ...form, merchantId })} />
        <NativeSelect label="Status" value={form.status} onChange={set('status')} data={[{ value: '', label: 'Any status' }, ...Object.values(TxStatus)]} />
        <NativeSelect label="Type" value={form.txType} onChange={set('txType')} data={[{ value: '', label: 'Any type' }, ...Object.values(TxType)]} />
        <TextInput label="Provider" value={form.provider} onChange={set('provider')} />
        <TextInput label="Currency" value={form.currency} onChange={set('currency')} maxLength={8} />
        <TextInput label="Amount from" inputMode="decimal" value={form.amountMin} onChange={set('amountMin')} />
        <TextInput label="Amount to" inputMode="decimal" value={form.amountMax} onChange={set('amountMax')} />
        <TextInput label="Created from" type="datetime-local" value={form.createdFrom} onChange={set('createdFrom')} />
        <TextInput label="Created to" type="datetime-local" value={form.createdTo} onChange={set('createdTo')} />
        <NativeSelect
          label="Conflict"
          value={form.conflict}
          onChange={set('conflict')}
          data={[
            { value: '', label: 'Any' },
            { value: 'open', label: 'Open conflict' },
          ]}
        />
      </SimpleGrid>
      <Group className="actions" gap="xs" mt="sm">
        <Button type="submit">Apply filters</Button>
        <Button variant="default" onClick={() => onApply(new URLSearchParams())}>
          Clear filters
        </Button>
      </Group>
      {error ? (
        <Alert color="red" variant="light" className="error">
          {error}
        </Alert>
      ) : null}
    </Paper>
  );
}
