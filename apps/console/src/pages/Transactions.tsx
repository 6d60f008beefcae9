import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { TxStatus } from '../../../../libs/domain/src/tx-status';
import { TxType } from '../../../../libs/domain/src/tx-type';
import { api, getPage } from '../api/client';
import type { Transaction } from '../api/types';
import { exponentOf, formatMoney, majorInput, parseMajor } from '../money';
import { errorText, Field, MerchantField, QueryState, StatusBadge, usePagedQuery, When } from '../ui';

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
      return <Link to={`/transactions/${t.id}`}>{t.id}</Link>;
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
      <h1 id="tx-title">Transactions</h1>
      <Filters key={params.toString()} filters={filters} onApply={(next) => setParams(next)} />
      <div className="toolbar">
        <details>
          <summary>Columns</summary>
          <fieldset>
            <legend>Columns shown</legend>
            {COLUMNS.map((c) => (
              <label key={c.key} className="check">
                <input
                  type="checkbox"
                  checked={columns.includes(c.key)}
                  onChange={(e) =>
                    chooseColumns(
                      e.target.checked
                        ? COLUMNS.filter((x) => x.key === c.key || columns.includes(x.key)).map((x) => x.key)
                        : columns.filter((k) => k !== c.key),
                    )
                  }
                />
                {c.label}
              </label>
            ))}
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
            <Field label="View name">{(id) => <input id={id} value={viewName} onChange={(e) => setViewName(e.target.value)} />}</Field>
            <button type="submit">Save view</button>
          </form>
          {views.length === 0 ? (
            <p className="empty">No saved views yet.</p>
          ) : (
            <ul className="views">
              {views.map((v) => (
                <li key={v.name}>
                  <button
                    type="button"
                    onClick={() => {
                      chooseColumns(v.columns);
                      setParams(new URLSearchParams(v.query));
                    }}
                  >
                    Open view {v.name}
                  </button>
                  <button type="button" className="link" onClick={() => saveViews(views.filter((x) => x.name !== v.name))}>
                    Delete view {v.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </details>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
        {exportError ? (
          <p role="alert" className="error">
            {exportError}
          </p>
        ) : null}
      </div>
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No transactions match these filters.">
        {(page) => (
          <table aria-label="Transactions">
            <thead>
              <tr>
                {COLUMNS.filter((c) => columns.includes(c.key)).map((c) => (
                  <th key={c.key} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.items.map((t) => (
                <tr key={t.id}>
                  {COLUMNS.filter((c) => columns.includes(c.key)).map((c) => (
                    <td key={c.key}>{cell(t, c.key)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
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
    <form className="filters" onSubmit={apply} aria-label="Filters">
      <Field label="Search" hint="payhub id, merchant tx id, provider id or user id">
        {(id) => <input id={id} type="search" value={form.q} onChange={set('q')} />}
      </Field>
      <MerchantField value={form.merchantId} onChange={(merchantId) => setForm({ ...form, merchantId })} />
      <Field label="Status">
        {(id) => (
          <select id={id} value={form.status} onChange={set('status')}>
            <option value="">Any status</option>
            {Object.values(TxStatus).map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Type">
        {(id) => (
          <select id={id} value={form.txType} onChange={set('txType')}>
            <option value="">Any type</option>
            {Object.values(TxType).map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Provider">{(id) => <input id={id} value={form.provider} onChange={set('provider')} />}</Field>
      <Field label="Currency">{(id) => <input id={id} value={form.currency} onChange={set('currency')} maxLength={8} />}</Field>
      <Field label="Amount from">{(id) => <input id={id} inputMode="decimal" value={form.amountMin} onChange={set('amountMin')} />}</Field>
      <Field label="Amount to">{(id) => <input id={id} inputMode="decimal" value={form.amountMax} onChange={set('amountMax')} />}</Field>
      <Field label="Created from">{(id) => <input id={id} type="datetime-local" value={form.createdFrom} onChange={set('createdFrom')} />}</Field>
      <Field label="Created to">{(id) => <input id={id} type="datetime-local" value={form.createdTo} onChange={set('createdTo')} />}</Field>
      <Field label="Conflict">
        {(id) => (
          <select id={id} value={form.conflict} onChange={set('conflict')}>
            <option value="">Any</option>
            <option value="open">Open conflict</option>
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit">Apply filters</button>
        <button type="button" onClick={() => onApply(new URLSearchParams())}>
          Clear filters
        </button>
      </div>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
