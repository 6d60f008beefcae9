import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, NativeSelect, Table, TextInput } from '@mantine/core';
import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, getPage } from '../api/client';
import type { components } from '../api/schema';
import type { Merchant } from '../api/types';
import { useAuth } from '../auth';
import { errorText, Field, QueryState, When } from '../ui';

type Form = components['schemas']['ProviderConfigForm'];
type FormField = components['schemas']['ProviderConfigFormField'];
type ConfigView = components['schemas']['ProviderConfig'];
type Diff = components['schemas']['ProviderConfigDiff'];
type Config = {
  baseUrls?: Record<string, string>;
  accounts?: Record<string, Record<string, unknown>>;
  [field: string]: unknown;
};

/** What the API shows instead of a secret, and takes back as "keep the stored one". */
const MASK = '********';
const CONFIG_PATH = '/backoffice/merchants/{id}/providers/{provider}/config';

/** Display names of the providers payhub ships; any other provider with a config schema shows its id. */
const PROVIDER_NAMES: Record<string, string> = { interkassa: 'Interkassa', paykassma: 'Paykassma', kasha: 'Kasha' };
const providerName = (id: string) => PROVIDER_NAMES[id] ?? id;

/** Field errors by the path the API names (`accounts.DEFAULT.checkoutId`, `baseUrls.api`, `xml`). */
type Issues = Record<string, string[]>;

function issuesOf(error: unknown): Issues {
  const issues: Issues = {};
  if (error instanceof ApiError) for (const d of error.details) if (d.field) (issues[d.field] ??= []).push(d.issue ?? 'is invalid');
  return issues;
}

export function Providers() {
  const { can } = useAuth();
  return (
    <section aria-labelledby="pc-title">
      <h1 id="pc-title">Provider configs</h1>
      {can('admin') ? <ProviderConfigs /> : <p className="empty">Provider configs are for admins: your role does not include it.</p>}
    </section>
  );
}

function ProviderConfigs() {
  const { merchantId = '', provider = '' } = useParams();
  const navigate = useNavigate();
  const forms = useQuery({
    queryKey: ['provider-config-forms'],
    queryFn: () => getPage<Form & { id?: string }>('/backoffice/provider-config-forms'),
    staleTime: 300_000,
  });
  const form = forms.data?.items.find((f) => f.provider === provider);
  const go = (m: string, p: string) => navigate(`/providers${m ? `/${m}${p ? `/${p}` : ''}` : ''}`);
  return (
    <>
      <div className="toolbar">
        <MerchantPicker value={merchantId} onChange={(m) => go(m, provider)} />
        <NativeSelect label="Provider" value={provider} onChange={(e) => go(merchantId, e.target.value)} disabled={!merchantId}>
          <option value="">Choose a provider</option>
          {(forms.data?.items ?? []).map((f) => (
            <option key={f.provider} value={f.provider}>
              {providerName(f.provider)}
            </option>
          ))}
        </NativeSelect>
      </div>
      {forms.isError ? (
        <p role="alert" className="error">
          Could not load the provider forms: {errorText(forms.error)}
        </p>
      ) : null}
      {!merchantId ? <p className="empty">Choose a merchant and a provider.</p> : null}
      {provider && forms.isSuccess && !form ? (
        <p role="alert" className="error">
          {provider} has no config schema: choose one of the providers offered.
        </p>
      ) : null}
      {merchantId && provider && form ? <MerchantProvider key={`${merchantId}/${provider}`} merchantId={merchantId} form={form} /> : null}
    </>
  );
}

/** The newest merchants first, more on demand; a merchant named in the address is offered even when not loaded. */
function MerchantPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const pages = useInfiniteQuery({
    queryKey: ['merchants', 'picker'],
    queryFn: ({ pageParam }) => getPage<Merchant>('/backoffice/merchants', { limit: 100, startingAfter: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // A merchant created a moment ago (on the Merchants screen) is offered when the screen opens.
    refetchOnMount: 'always',
  });
  const loaded = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const chosen = useQuery({
    queryKey: ['merchant', value],
    queryFn: () => api.get<Merchant>('/backoffice/merchants/{id}', { path: { id: value } }),
    enabled: !!value && pages.isSuccess && !loaded.some((m) => m.id === value),
  });
  const merchants = chosen.data && !loaded.some((m) => m.id === chosen.data.id) ? [chosen.data, ...loaded] : loaded;
  return (
    <>
      <NativeSelect label="Merchant" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose a merchant</option>
        {merchants.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} · {m.id}
          </option>
        ))}
      </NativeSelect>
      {pages.hasNextPage ? (
        <Button variant="default" disabled={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
          More merchants
        </Button>
      ) : null}
    </>
  );
}

function MerchantProvider({ merchantId, form }: { merchantId: string; form: Form }) {
  const queries = useQueryClient();
  const params = { id: merchantId, provider: form.provider };
  const current = useQuery({
    queryKey: ['provider-config', merchantId, form.provider],
    // No config yet is a state of the screen (a new config), not an error.
    queryFn: async () => {
      try {
        return await api.get<ConfigView>(CONFIG_PATH, { path: params });
      } catch (e) {
        if (e instanceof ApiError && e.code === 'PROVIDER_CONFIG_NOT_FOUND') return null;
        throw e;
      }
    },
  });
  const [message, setMessage] = useState<ReactNode>(null);
  const changed = (text: ReactNode) => {
    setMessage(text);
    void queries.invalidateQueries({ queryKey: ['provider-config', merchantId, form.provider] });
    void queries.invalidateQueries({ queryKey: ['provider-config-versions', merchantId, form.provider] });
  };
  return (
    <QueryState query={current}>
      {(view) => (
        <>
          <h2>
            {providerName(form.provider)} for {merchantId}
          </h2>
          <p className="muted">
            {view ? (
              <>
                Version {view.version} in force, by {view.createdBy}, <When at={view.createdAt} />
                {view.comment ? ` (${view.comment})` : ''}
              </>
            ) : (
              'No config yet: saving creates version 1.'
            )}
          </p>
          <nav aria-label="On this screen" className="inline">
            <a href="#pc-form">Config form</a> · <a href="#pc-xml">PaymentIQ XML</a>
            {view ? (
              <>
                {' '}
                · <a href="#pc-versions">Versions</a>
              </>
            ) : null}
          </nav>
          {message ? (
            <div role="status" className="notice">
              {message}
            </div>
          ) : null}
          <ConfigEditor key={view?.version ?? 0} merchantId={merchantId} form={form} stored={(view?.config as Config | undefined) ?? null} onSaved={changed} />
          <XmlPanel merchantId={merchantId} form={form} exists={!!view} onImported={changed} />
          {view ? <Versions merchantId={merchantId} form={form} inForce={view.version} onRestored={changed} /> : null}
        </>
      )}
    </QueryState>
  );
}

/** The answer of a change: the stored version, or the pending change a second admin confirms. */
function outcome(status: number, data: unknown, what: string): ReactNode {
  const body = data as { version?: number; id?: string; after?: { changes?: string[] } };
  if (status !== 202) return `${what}: version ${body.version} is in force.`;
  return (
    <>
      {what} waits for a second admin (pending change {body.id}): it changes {(body.after?.changes ?? []).join(', ') || 'base URLs or credentials'}. It is in
      force once confirmed under Payouts, Pending changes.
    </>
  );
}

interface AccountDraft {
  name: string;
  /** Text of each field by its path inside the account (`checkoutId`, `threeDsRouting.mode`). */
  values: Record<string, string>;
  /** Secrets the stored config holds (shown masked, kept unless replaced). */
  stored: string[];
  replacing: string[];
}

interface Draft {
  values: Record<string, string>;
  baseUrls: Record<string, string>;
  accounts: AccountDraft[];
}

const text = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value, null, 2) : String(value));

function flatten(fields: FormField[], source: Record<string, unknown>, prefix = '', into: Record<string, string> = {}): Record<string, string> {
  for (const f of fields) {
    const value = source[f.name];
    if (f.type === 'object' && f.fields) flatten(f.fields, (value as Record<string, unknown>) ?? {}, `${prefix}${f.name}.`, into);
    else into[`${prefix}${f.name}`] = f.secret ? '' : text(value);
  }
  return into;
}

function draftOf(form: Form, stored: Config | null): Draft {
  const accounts = Object.entries(stored?.accounts ?? { DEFAULT: {} }).map(([name, account]) => {
    const secrets = form.secretFields.filter((s) => typeof account[s] === 'string' && (account[s] as string).startsWith(MASK));
    return { name, values: flatten(form.account, account), stored: secrets, replacing: [] };
  });
  return {
    values: flatten(form.config, stored ?? {}),
    baseUrls: Object.fromEntries(form.baseUrls.map((b) => [b.name, stored?.baseUrls?.[b.name] ?? ''])),
    accounts,
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The JSON the API takes, from the draft. An untouched stored secret goes back as the mask, which
 * the API reads as "keep the stored one" (never a value typed or shown in an input); an empty field is
 * left out (the API fills its default).
 */
function bodyOf(form: Form, draft: Draft, hostMoved: boolean): { body: Config; issues: Issues } {
  const issues: Issues = {};
  const read = (fields: FormField[], values: Record<string, string>, prefix: string, path: string, secretOf?: (name: string) => string | undefined) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const key = `${prefix}${f.name}`;
      if (f.type === 'object' && f.fields) {
        const nested = read(f.fields, values, `${key}.`, path);
        if (Object.keys(nested).length) out[f.name] = nested;
        continue;
      }
      const secret = secretOf?.(f.name);
      if (secret !== undefined) {
        out[f.name] = secret;
        continue;
      }
      const raw = values[key] ?? '';
      if (raw.trim() === '') continue;
      if (f.type === 'boolean') out[f.name] = raw === 'true';
      else if (f.type === 'integer') out[f.name] = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      else if (f.type === 'map') {
        try {
          out[f.name] = JSON.parse(raw);
        } catch {
          (issues[`${path}${key}`] ??= []).push('must be a JSON object, e.g. {"name": "value"}');
        }
      } else out[f.name] = raw;
    }
    return out;
  };
  const body: Config = read(form.config, draft.values, '', '');
  body.baseUrls = Object.fromEntries(Object.entries(draft.baseUrls).filter(([, url]) => url.trim() !== ''));
  body.accounts = {};
  for (const account of draft.accounts) {
    const path = `accounts.${account.name}.`;
    body.accounts[account.name] = read(form.account, account.values, '', path, (name) => {
      if (!form.secretFields.includes(name)) return undefined;
      if (account.stored.includes(name) && !account.replacing.includes(name)) return MASK;
      const typed = account.values[name] ?? '';
      if (account.replacing.includes(name) && typed === '')
        (issues[`${path}${name}`] ??= []).push(
          hostMoved ? 'type the secret again: a base URL moves to another host' : 'type the new secret, or keep the stored one',
        );
      return typed === '' ? undefined : typed;
    });
  }
  return { body, issues };
}

function ConfigEditor({ merchantId, form, stored, onSaved }: { merchantId: string; form: Form; stored: Config | null; onSaved: (m: ReactNode) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(form, stored));
  const [issues, setIssues] = useState<Issues>({});
  const [newAccount, setNewAccount] = useState('');
  const storedOrigins = useMemo(() => Object.fromEntries(Object.entries(stored?.baseUrls ?? {}).map(([n, u]) => [n, originOf(u)])), [stored]);
  // A base URL moving to another host: the API refuses kept secrets (they would follow it), so each is typed again.
  const movedHosts = stored
    ? form.baseUrls
        .filter((b) => originOf(draft.baseUrls[b.name] || b.default || '') !== (storedOrigins[b.name] ?? originOf(b.default ?? '')))
        .map((b) => b.name)
    : [];
  const effective: Draft = movedHosts.length
    ? { ...draft, accounts: draft.accounts.map((a) => ({ ...a, replacing: [...new Set([...a.replacing, ...a.stored])] })) }
    : draft;

  const save = useMutation({
    mutationFn: async () => {
      const { body, issues: local } = bodyOf(form, effective, movedHosts.length > 0);
      if (Object.keys(local).length) throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are not filled in correctly', toDetails(local));
      return api.putWithStatus(CONFIG_PATH, { path: { id: merchantId, provider: form.provider }, body });
    },
    onSuccess: ({ status, body }) => {
      setIssues({});
      onSaved(outcome(status, body, 'Config saved'));
    },
    onError: (e) => setIssues(issuesOf(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const setValue = (key: string, value: string) => setDraft((d) => ({ ...d, values: { ...d.values, [key]: value } }));
  const setAccount = (index: number, change: (a: AccountDraft) => AccountDraft) =>
    setDraft((d) => ({ ...d, accounts: d.accounts.map((a, i) => (i === index ? change(a) : a)) }));

  return (
    <form id="pc-form" onSubmit={submit} aria-label="Provider config" noValidate>
      <ErrorSummary error={save.error} issues={issues} />
      <fieldset>
        <legend>Settings</legend>
        <div className="grid">
          {form.config.map((f) => (
            <FormInput key={f.name} field={f} path={f.name} value={draft.values[f.name] ?? ''} onChange={(v) => setValue(f.name, v)} issues={issues} />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Base URLs</legend>
        <div className="grid">
          {form.baseUrls.map((b) => (
            <PlainInput
              key={b.name}
              label={`Base URL ${b.name}`}
              path={`baseUrls.${b.name}`}
              hint={b.default ? `default ${b.default}` : 'required'}
              issues={issues}
            >
              {(props) => (
                <input
                  {...props}
                  type="url"
                  value={draft.baseUrls[b.name]}
                  placeholder={b.default ?? ''}
                  onChange={(e) => setDraft((d) => ({ ...d, baseUrls: { ...d.baseUrls, [b.name]: e.target.value } }))}
                />
              )}
            </PlainInput>
          ))}
        </div>
        {movedHosts.length && effective.accounts.some((a) => a.stored.length) ? (
          <p role="status" className="notice">
            {movedHosts.map((n) => `Base URL ${n}`).join(', ')} moves to another host: type every secret again (the stored ones are not sent to a new host).
          </p>
        ) : null}
      </fieldset>
      {effective.accounts.map((account, index) => (
        <fieldset key={account.name}>
          <legend>Account {account.name}</legend>
          <div className="grid">
            {form.account.map((f) =>
              f.secret ? (
                <SecretInput
                  key={f.name}
                  field={f}
                  path={`accounts.${account.name}.${f.name}`}
                  value={account.values[f.name] ?? ''}
                  stored={account.stored.includes(f.name)}
                  replacing={account.replacing.includes(f.name)}
                  mustReplace={movedHosts.length > 0}
                  onChange={(v) => setAccount(index, (a) => ({ ...a, values: { ...a.values, [f.name]: v } }))}
                  onReplace={(on) =>
                    setAccount(index, (a) => ({
                      ...a,
                      replacing: on ? [...a.replacing, f.name] : a.replacing.filter((n) => n !== f.name),
                      values: { ...a.values, [f.name]: '' },
                    }))
                  }
                  issues={issues}
                />
              ) : (
                <FormInput
                  key={f.name}
                  field={f}
                  path={`accounts.${account.name}.${f.name}`}
                  value={account.values}
                  onChange={(v, key = f.name) => setAccount(index, (a) => ({ ...a, values: { ...a.values, [key]: v } }))}
                  issues={issues}
                />
              ),
            )}
          </div>
          {draft.accounts.length > 1 ? (
            <Button variant="default" onClick={() => setDraft((d) => ({ ...d, accounts: d.accounts.filter((_, i) => i !== index) }))}>
              Remove account {account.name}
            </Button>
          ) : null}
        </fieldset>
      ))}
      <div className="toolbar">
        <TextInput
          label="New account name"
          description="letters, digits, _ and -"
          inputWrapperOrder={['label', 'input', 'description']}
          value={newAccount}
          onChange={(e) => setNewAccount(e.target.value.trim())}
        />
        <Button
          variant="default"
          disabled={!/^[A-Za-z0-9_-]{1,32}$/.test(newAccount) || draft.accounts.some((a) => a.name === newAccount)}
          onClick={() => {
            setDraft((d) => ({ ...d, accounts: [...d.accounts, { name: newAccount, values: flatten(form.account, {}), stored: [], replacing: [] }] }));
            setNewAccount('');
          }}
        >
          Add account
        </Button>
      </div>
      <div className="actions">
        <Button type="submit" disabled={save.isPending}>
          Save config
        </Button>
      </div>
    </form>
  );
}

function toDetails(issues: Issues) {
  return Object.entries(issues).flatMap(([field, list]) => list.map((issue) => ({ field, issue })));
}

/** Every refusal at the top (with the path the API named), each also beside its field. */
function ErrorSummary({ error, issues }: { error: unknown; issues: Issues }) {
  if (!error) return null;
  const list = toDetails(issues);
  return (
    <div role="alert" className="error">
      <p>{error instanceof ApiError ? error.message : errorText(error)}</p>
      {list.length ? (
        <ul aria-label="Problems">
          {list.map((d) => (
            <li key={`${d.field} ${d.issue}`}>
              <code>{d.field}</code> {d.issue}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type InputProps = { id: string; 'aria-invalid': boolean; 'aria-describedby': string; required: boolean };

/** A labelled control with its hint and the API's issues at its path, tied to it by aria-describedby. */
function PlainInput({
  label,
  path,
  hint,
  required = false,
  issues,
  children,
}: {
  label: string;
  path: string;
  hint?: string;
  required?: boolean;
  issues: Issues;
  children: (props: InputProps) => ReactNode;
}) {
  const id = useId();
  const own = issues[path] ?? [];
  return (
    <div className="field" data-path={path}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': own.length > 0, 'aria-describedby': `${id}-hint ${id}-error`, required })}
      <small id={`${id}-hint`}>{hint}</small>
      <small id={`${id}-error`} className="error">
        {own.join('; ')}
      </small>
    </div>
  );
}

function hintOf(field: FormField, parent?: string): string {
  const parts: string[] = [];
  if (field.required) parts.push(parent ? `required when ${parent} is set` : 'required');
  else if (field.conditional) parts.push('required with related fields');
  if (field.default !== undefined) parts.push(`default ${text(field.default)}`);
  if (field.hint) parts.push(field.hint);
  if (field.minimum !== undefined || field.maximum !== undefined) parts.push(`${field.minimum ?? ''}–${field.maximum ?? ''}`);
  return parts.join('; ');
}

/** One generated control: its kind from the field's type; a nested object is a group of its fields. */
function FormInput({
  field,
  path,
  value,
  onChange,
  issues,
  prefix = '',
  parent,
}: {
  field: FormField;
  path: string;
  value: string | Record<string, string>;
  onChange: (value: string, key?: string) => void;
  issues: Issues;
  prefix?: string;
  parent?: string;
}) {
  const key = `${prefix}${field.name}`;
  if (field.type === 'object' && field.fields) {
    return (
      <fieldset className="nested" data-path={path}>
        <legend>{field.name}</legend>
        {field.fields.map((f) => (
          <FormInput
            key={f.name}
            field={f}
            path={`${path}.${f.name}`}
            value={value}
            onChange={onChange}
            issues={issues}
            prefix={`${key}.`}
            parent={field.name}
          />
        ))}
      </fieldset>
    );
  }
  const current = typeof value === 'string' ? value : (value[key] ?? '');
  const set = (v: string) => onChange(v, key);
  return (
    <PlainInput label={field.name} path={path} hint={hintOf(field, parent)} required={field.required && !parent} issues={issues}>
      {(props) =>
        field.type === 'boolean' || field.type === 'enum' ? (
          <select {...props} value={current} onChange={(e) => set(e.target.value)}>
            <option value="">{field.default !== undefined ? `default (${text(field.default)})` : 'not set'}</option>
            {(field.type === 'boolean' ? ['true', 'false'] : (field.enum ?? [])).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        ) : field.type === 'map' ? (
          <textarea {...props} rows={3} value={current} spellCheck={false} onChange={(e) => set(e.target.value)} />
        ) : (
          <input
            {...props}
            type={field.type === 'integer' ? 'number' : 'text'}
            value={current}
            maxLength={field.maxLength}
            min={field.minimum}
            max={field.maximum}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => set(e.target.value)}
          />
        )
      }
    </PlainInput>
  );
}

/** A stored secret is never shown nor put in an input: it is kept until "Replace" opens an empty one. */
function SecretInput({
  field,
  path,
  value,
  stored,
  replacing,
  mustReplace,
  onChange,
  onReplace,
  issues,
}: {
  field: FormField;
  path: string;
  value: string;
  stored: boolean;
  replacing: boolean;
  mustReplace: boolean;
  onChange: (v: string) => void;
  onReplace: (on: boolean) => void;
  issues: Issues;
}) {
  if (stored && !replacing) {
    const own = issues[path] ?? [];
    return (
      <div className="field" data-path={path}>
        <span className="label">{field.name}</span>
        <span className="muted">{MASK} stored</span>
        <Button variant="default" onClick={() => onReplace(true)}>
          Replace {field.name}
        </Button>
        {own.length ? <small className="error">{own.join('; ')}</small> : null}
      </div>
    );
  }
  return (
    <PlainInput label={field.name} path={path} hint={`secret; ${hintOf(field)}`} required={field.required} issues={issues}>
      {(props) => (
        <>
          <input {...props} type="password" autoComplete="new-password" value={value} onChange={(e) => onChange(e.target.value)} />
          {stored && !mustReplace ? (
            <Button variant="default" onClick={() => onReplace(false)}>
              Keep stored {field.name}
            </Button>
          ) : null}
        </>
      )}
    </PlainInput>
  );
}

function XmlPanel({ merchantId, form, exists, onImported }: { merchantId: string; form: Form; exists: boolean; onImported: (m: ReactNode) => void }) {
  const [xml, setXml] = useState('');
  const [exportError, setExportError] = useState<string | null>(null);
  const importXml = useMutation({
    mutationFn: () => api.putWithStatus(CONFIG_PATH, { path: { id: merchantId, provider: form.provider }, body: xml, contentType: 'application/xml' }),
    onSuccess: ({ status, body }) => {
      setXml('');
      onImported(outcome(status, body, 'XML imported'));
    },
  });
  const issues = issuesOf(importXml.error);
  return (
    <section aria-labelledby="pc-xml">
      <h2 id="pc-xml">PaymentIQ XML import and export</h2>
      <ErrorSummary error={importXml.error} issues={issues} />
      <PlainInput label="PaymentIQ XML" path="xml" hint={`a <${form.xmlRootElement}> document; masked secrets keep the stored ones`} issues={issues}>
        {(props) => <textarea {...props} rows={8} spellCheck={false} value={xml} onChange={(e) => setXml(e.target.value)} />}
      </PlainInput>
      <div className="toolbar">
        <Field label="XML file">
          {(id) => (
            <input
              id={id}
              type="file"
              accept=".xml,application/xml,text/xml"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void file.text().then(setXml);
              }}
            />
          )}
        </Field>
        <Button variant="default" disabled={!xml.trim() || importXml.isPending} onClick={() => importXml.mutate()}>
          Import XML
        </Button>
        {exists ? (
          <Button
            variant="default"
            onClick={() => {
              setExportError(null);
              api
                .download(
                  CONFIG_PATH.replace('{id}', merchantId).replace('{provider}', form.provider) as typeof CONFIG_PATH,
                  { format: 'xml' },
                  `${merchantId}-${form.provider}.xml`,
                )
                .catch((e: unknown) => setExportError(errorText(e)));
            }}
          >
            Export XML
          </Button>
        ) : null}
      </div>
      {exportError ? (
        <p role="alert" className="error">
          {exportError}
        </p>
      ) : null}
    </section>
  );
}

function Versions({ merchantId, form, inForce, onRestored }: { merchantId: string; form: Form; inForce: number; onRestored: (m: ReactNode) => void }) {
  const params = { id: merchantId, provider: form.provider };
  const list = useQuery({
    queryKey: ['provider-config-versions', merchantId, form.provider, 'list'],
    queryFn: async () => (await api.get<{ data: ConfigView[] }>('/backoffice/merchants/{id}/providers/{provider}/config/versions', { path: params })).data,
  });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const diff = useMutation({
    mutationFn: () =>
      api.get<Diff>('/backoffice/merchants/{id}/providers/{provider}/config/diff', {
        path: params,
        query: { from: from || String(inForce > 1 ? inForce - 1 : inForce), to: to || String(inForce) },
      }),
  });
  const restore = useMutation({
    mutationFn: (version: number) =>
      api.post<unknown>('/backoffice/merchants/{id}/providers/{provider}/config/versions/{version}/restore', {
        path: { ...params, version: String(version) },
      }),
    onSuccess: (data, version) => {
      setRestoreError(null);
      onRestored(outcome(typeof data === 'object' && data !== null && 'version' in data ? 200 : 202, data, `Version ${version} restored`));
    },
    onError: (e) => setRestoreError(errorText(e)),
  });
  return (
    <section aria-labelledby="pc-versions">
      <h2 id="pc-versions">Versions</h2>
      {restoreError ? (
        <p role="alert" className="error">
          {restoreError}
        </p>
      ) : null}
      <QueryState query={list}>
        {(rows) => (
          <>
            <Table aria-label="Versions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Version</Table.Th>
                  <Table.Th scope="col">By</Table.Th>
                  <Table.Th scope="col">At</Table.Th>
                  <Table.Th scope="col">Comment</Table.Th>
                  <Table.Th scope="col">
                    <span className="sr-only">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((v) => (
                  <Table.Tr key={v.version}>
                    <Table.Td className="num">
                      {v.version}
                      {v.version === inForce ? ' (in force)' : ''}
                    </Table.Td>
                    <Table.Td>{v.createdBy}</Table.Td>
                    <Table.Td>
                      <When at={v.createdAt} />
                    </Table.Td>
                    <Table.Td>{v.comment ?? ''}</Table.Td>
                    <Table.Td>
                      {v.version !== inForce ? (
                        <Button variant="default" disabled={restore.isPending} onClick={() => restore.mutate(v.version)}>
                          Restore version {v.version}
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <div className="toolbar">
              {(
                [
                  ['From version', from, setFrom, inForce > 1 ? inForce - 1 : inForce],
                  ['To version', to, setTo, inForce],
                ] as const
              ).map(([label, value, set, fallback]) => (
                <NativeSelect key={label} label={label} value={value || String(fallback)} onChange={(e) => set(e.target.value)}>
                  {rows.map((v) => (
                    <option key={v.version} value={String(v.version)}>
                      {v.version}
                    </option>
                  ))}
                </NativeSelect>
              ))}
              <Button variant="default" disabled={diff.isPending} onClick={() => diff.mutate()}>
                Compare
              </Button>
            </div>
          </>
        )}
      </QueryState>
      {diff.isError ? (
        <p role="alert" className="error">
          {errorText(diff.error)}
        </p>
      ) : null}
      {diff.data ? <DiffTable diff={diff.data} /> : null}
    </section>
  );
}

function DiffTable({ diff }: { diff: Diff }) {
  const caption = `Changes from version ${diff.from} to version ${diff.to}`;
  if (!diff.changes.length) return <p className="empty">{caption}: none.</p>;
  return (
    <Table aria-label={caption}>
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Field</Table.Th>
          <Table.Th scope="col">Change</Table.Th>
          <Table.Th scope="col">Before</Table.Th>
          <Table.Th scope="col">After</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {diff.changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td>
              <code>{c.field}</code>
            </Table.Td>
            <Table.Td>{c.secret && c.change === 'changed' ? 'secret replaced' : c.change}</Table.Td>
            <Table.Td>{text(c.before)}</Table.Td>
            <Table.Td>{text(c.after)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
