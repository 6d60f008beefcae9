import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { CARD_BRANDS } from '../../../../libs/domain/src/payway-mapping';
import { TxType } from '../../../../libs/domain/src/tx-type';
import { api, ApiError } from '../api/client';
import type { components } from '../api/schema';
import { CheckedField, FormError, issuesOf, type FieldIssues } from '../field-errors';
import { exponentOf, formatMoney, majorInput, parseMajor } from '../money';
import { MerchantField, QueryState } from '../ui';
import type { MerchantView } from './Merchants';

const TX_TYPES = Object.values(TxType);
const THREE_DS_MODES = ['off', 'only_3ds', 'required_3ds_v1', 'required_3ds_v2'] as const;
type ThreeDsMode = (typeof THREE_DS_MODES)[number];

interface Conditions {
  txTypes?: string[];
  services?: string[];
  currencies?: string[];
  countries?: string[];
  cardBrands?: string[];
  binPrefixes?: string[];
  amountMin?: number;
  amountMax?: number;
}
interface Target {
  provider: string;
  account: string;
}
export interface RuleInput {
  name: string;
  priority: number;
  enabled: boolean;
  when: Conditions;
  then: { targets: Array<Target & { weight: number }>; fallback?: Target[] };
}
type Explanation = components['schemas']['RoutingExplanation'];
type ThreeDsSetting = components['schemas']['ThreeDsSetting'];

const list = (text: string, upper = false) =>
  text
    .split(/[\s,]+/)
    .map((v) => (upper ? v.trim().toUpperCase() : v.trim()))
    .filter((v) => v !== '');

/**
 * The amount range of a rule is in minor units of the payment's currency. It is typed in major units
 * when the rule's currencies share one exponent (the usual single-currency rule); otherwise in minor units.
 */
function amountExponent(currencies: readonly string[]): { currency: string; exponent: number } | null {
  const exponents = new Set(currencies.map((c) => exponentOf(c)));
  if (currencies.length === 0 || exponents.size !== 1 || exponents.has(null)) return null;
  return { currency: currencies[0], exponent: exponentOf(currencies[0])! };
}

/** The editor's text fields for one rule. */
interface RuleForm {
  name: string;
  priority: string;
  enabled: boolean;
  txTypes: string[];
  services: string;
  currencies: string;
  countries: string;
  cardBrands: string[];
  binPrefixes: string;
  amountMin: string;
  amountMax: string;
  targets: Array<{ provider: string; account: string; weight: string }>;
  fallback: Target[];
}

function toForm(rule: RuleInput): RuleForm {
  const w = rule.when;
  const unit = amountExponent(w.currencies ?? []);
  const amount = (v: number | undefined) => (v === undefined ? '' : unit ? majorInput(v, unit.currency) : String(v));
  return {
    name: rule.name,
    priority: String(rule.priority),
    enabled: rule.enabled,
    txTypes: w.txTypes ?? [],
    services: (w.services ?? []).join(', '),
    currencies: (w.currencies ?? []).join(', '),
    countries: (w.countries ?? []).join(', '),
    cardBrands: w.cardBrands ?? [],
    binPrefixes: (w.binPrefixes ?? []).join(', '),
    amountMin: amount(w.amountMin),
    amountMax: amount(w.amountMax),
    targets: rule.then.targets.map((t) => ({ provider: t.provider, account: t.account, weight: String(t.weight) })),
    fallback: (rule.then.fallback ?? []).map((f) => ({ ...f })),
  };
}

/** The rule a form describes, or the issues (keyed like the API's fields) that keep it from being one. */
function fromForm(form: RuleForm): { rule: RuleInput; issues: FieldIssues } {
  const issues: FieldIssues = {};
  const currencies = list(form.currencies, true);
  const unit = amountExponent(currencies);
  const amount = (text: string, field: string): number | undefined => {
    if (text.trim() === '') return undefined;
    if (unit) {
      const parsed = parseMajor(text, unit.currency);
      if ('error' in parsed) {
        issues[field] = parsed.error;
        return undefined;
      }
      return Number(parsed.minor);
    }
    if (!/^\d+$/.test(text.trim())) {
      issues[field] = 'Enter whole minor units (the rule has no single currency exponent)';
      return undefined;
    }
    return Number(text.trim());
  };
  const when: Conditions = {};
  if (form.txTypes.length) when.txTypes = form.txTypes;
  if (list(form.services).length) when.services = list(form.services);
  if (currencies.length) when.currencies = currencies;
  if (list(form.countries, true).length) when.countries = list(form.countries, true);
  if (form.cardBrands.length) when.cardBrands = form.cardBrands;
  if (list(form.binPrefixes).length) when.binPrefixes = list(form.binPrefixes);
  const min = amount(form.amountMin, 'when.amountMin');
  const max = amount(form.amountMax, 'when.amountMax');
  if (min !== undefined) when.amountMin = min;
  if (max !== undefined) when.amountMax = max;
  const priority = /^\d+$/.test(form.priority.trim()) ? Number(form.priority.trim()) : NaN;
  if (Number.isNaN(priority)) issues.priority = 'Enter a whole number (lower runs first)';
  const targets = form.targets.map((t, j) => {
    const weight = /^\d+$/.test(t.weight.trim()) ? Number(t.weight.trim()) : NaN;
    if (Number.isNaN(weight)) issues[`then.targets[${j}].weight`] = 'Enter a whole number';
    return { provider: t.provider.trim(), account: t.account.trim(), weight };
  });
  return {
    rule: {
      name: form.name.trim(),
      priority,
      enabled: form.enabled,
      when,
      then: { targets, fallback: form.fallback.map((f) => ({ provider: f.provider.trim(), account: f.account.trim() })) },
    },
    issues,
  };
}

/** Evaluation order as the router has it: priority, then place in the list. */
function evaluationOrder(rules: readonly RuleInput[]): number[] {
  return rules
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.priority - b.r.priority || a.i - b.i)
    .map((x) => x.i);
}

function describeConditions(w: Conditions): string {
  const parts: string[] = [];
  const unit = amountExponent(w.currencies ?? []);
  const amount = (v: number) => (unit ? formatMoney(v, unit.currency) : `${v} minor units`);
  if (w.txTypes?.length) parts.push(`type ${w.txTypes.join('/')}`);
  if (w.services?.length) parts.push(`service ${w.services.join('/')}`);
  if (w.currencies?.length) parts.push(`currency ${w.currencies.join('/')}`);
  if (w.countries?.length) parts.push(`country ${w.countries.join('/')}`);
  if (w.cardBrands?.length) parts.push(`brand ${w.cardBrands.join('/')}`);
  if (w.binPrefixes?.length) parts.push(`BIN ${w.binPrefixes.join('/')}`);
  if (w.amountMin !== undefined) parts.push(`amount ≥ ${amount(w.amountMin)}`);
  if (w.amountMax !== undefined) parts.push(`amount ≤ ${amount(w.amountMax)}`);
  return parts.length ? parts.join(', ') : 'any payment';
}

const stripId = (r: RuleInput & { id?: string }): RuleInput => ({
  name: r.name,
  priority: r.priority,
  enabled: r.enabled,
  when: r.when,
  then: { targets: r.then.targets.map((t) => ({ provider: t.provider, account: t.account, weight: t.weight })), fallback: r.then.fallback ?? [] },
});

export function Routing() {
  const { merchantId = '' } = useParams();
  const navigate = useNavigate();
  const [picked, setPicked] = useState(merchantId);
  return (
    <section aria-labelledby="routing-title">
      <h1 id="routing-title">Routing</h1>
      <form
        className="toolbar"
        aria-label="Choose merchant"
        onSubmit={(e) => {
          e.preventDefault();
          if (picked) navigate(`/routing/${picked}`);
        }}
      >
        <MerchantField value={picked} onChange={setPicked} required />
        <Button type="submit">Open routing</Button>
      </form>
      {merchantId ? <MerchantRouting key={merchantId} merchantId={merchantId} /> : <p className="muted">Choose a merchant to see and edit its routing.</p>}
    </section>
  );
}

function MerchantRouting({ merchantId }: { merchantId: string }) {
  // Kept here: the rules editor starts afresh from what a save stored, the note stays.
  const [savedNote, setSavedNote] = useState(false);
  const merchant = useQuery({
    queryKey: ['merchants', 'one', merchantId],
    queryFn: () => api.get<MerchantView>('/backoffice/merchants/{id}', { path: { id: merchantId } }),
  });
  const rules = useQuery({
    queryKey: ['routing', merchantId, 'rules'],
    queryFn: async () =>
      (await api.get<{ data: Array<RuleInput & { id: string }> }>('/backoffice/merchants/{id}/routing/rules', { path: { id: merchantId } })).data.map(stripId),
  });
  return (
    <QueryState query={merchant}>
      {(m) => (
        <>
          <h2>
            Routing of <Link to={`/merchants/${m.id}`}>{m.name}</Link>
          </h2>
          <QueryState query={rules}>
            {(saved) => <RulesEditor key={JSON.stringify(saved)} merchantId={merchantId} saved={saved} savedNote={savedNote} setSavedNote={setSavedNote} />}
          </QueryState>
          <ThreeDsMerchant merchantId={merchantId} />
          <ProviderSettings merchantId={merchantId} providers={[...new Set((rules.data ?? []).flatMap((r) => r.then.targets.map((t) => t.provider)))]} />
        </>
      )}
    </QueryState>
  );
}

const EMPTY_RULE: RuleInput = {
  name: '',
  priority: 10,
  enabled: true,
  when: {},
  then: { targets: [{ provider: '', account: 'DEFAULT', weight: 100 }], fallback: [] },
};

function RulesEditor({
  merchantId,
  saved,
  savedNote,
  setSavedNote,
}: {
  merchantId: string;
  saved: RuleInput[];
  savedNote: boolean;
  setSavedNote: (on: boolean) => void;
}) {
  const queries = useQueryClient();
  const [draft, setDraft] = useState<RuleInput[]>(saved);
  const [editing, setEditing] = useState<number | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const changed = JSON.stringify(draft) !== JSON.stringify(saved);
  const order = evaluationOrder(draft);
  const apiIssues = issuesOf(saveError);

  const save = useMutation({
    mutationFn: () => api.put<{ data: RuleInput[] }>('/backoffice/merchants/{id}/routing/rules', { path: { id: merchantId }, body: { rules: draft } }),
    onSuccess: () => {
      setSaveError(null);
      setSavedNote(true);
      void queries.invalidateQueries({ queryKey: ['routing', merchantId, 'rules'] });
    },
    onError: (e) => showRuleErrors(e),
  });

  /** An API refusal naming `rules[i]…` opens that rule's editor, so each issue is shown at its input. */
  function showRuleErrors(e: unknown) {
    setSaveError(e);
    setSavedNote(false);
    const first = e instanceof ApiError ? e.details.map((d) => /^rules\[(\d+)\]/.exec(d.field ?? '')).find(Boolean) : null;
    if (first) setEditing(Number(first[1]));
  }

  /** Moves a rule one step in evaluation order: swaps it with its neighbour in the list and in priority. */
  function move(index: number, step: -1 | 1) {
    const at = order.indexOf(index);
    const other = order[at + step];
    if (other === undefined) return;
    setDraft((rules) => {
      const next = rules.map((r) => ({ ...r }));
      const [a, b] = [next[index], next[other]];
      [a.priority, b.priority] = [b.priority, a.priority];
      next[index] = b;
      next[other] = a;
      return next;
    });
    setEditing(null);
  }

  return (
    <section aria-labelledby="rules-title">
      <h3 id="rules-title">Rules</h3>
      <p className="muted">
        Evaluated top to bottom (lower priority first, then list order); the first enabled rule that matches routes the payment. Changes stay a draft until
        saved.
      </p>
      {draft.length === 0 ? (
        <p className="empty">No rules: every payment is refused with ROUTING_NO_MATCH.</p>
      ) : (
        <Table aria-label="Routing rules">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Order</Table.Th>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Priority</Table.Th>
              <Table.Th scope="col">Enabled</Table.Th>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Then</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.map((i, at) => {
              const r = draft[i];
              const problems = Object.entries(apiIssues).filter(([f]) => f.startsWith(`rules[${i}]`));
              const sum = r.then.targets.reduce((s, t) => s + t.weight, 0);
              return (
                <Table.Tr key={`${r.name}-${i}`}>
                  <Table.Td>{at + 1}</Table.Td>
                  <Table.Td>
                    {r.name}
                    {problems.length ? (
                      <small className="field-issue">
                        {problems.length} problem{problems.length > 1 ? 's' : ''}:{' '}
                        {problems.map(([f, v]) => `${f.replace(/^rules\[\d+\]\./, '')} ${v}`).join('; ')}
                      </small>
                    ) : null}
                  </Table.Td>
                  <Table.Td className="num">{r.priority}</Table.Td>
                  <Table.Td>
                    <input
                      type="checkbox"
                      aria-label={`Enabled: ${r.name}`}
                      checked={r.enabled}
                      onChange={(e) => setDraft((rules) => rules.map((x, j) => (j === i ? { ...x, enabled: e.target.checked } : x)))}
                    />
                  </Table.Td>
                  <Table.Td>{describeConditions(r.when)}</Table.Td>
                  <Table.Td>
                    {r.then.targets.map((t) => `${t.provider}/${t.account} ${sum ? Math.round((t.weight / sum) * 1000) / 10 : 0}%`).join(', ')}
                    {r.then.fallback?.length ? ` · fallback ${r.then.fallback.map((f) => `${f.provider}/${f.account}`).join(', ')}` : ''}
                  </Table.Td>
                  <Table.Td className="actions">
                    <Button variant="default" disabled={at === 0} onClick={() => move(i, -1)}>
                      Move up: {r.name}
                    </Button>
                    <Button variant="default" disabled={at === order.length - 1} onClick={() => move(i, 1)}>
                      Move down: {r.name}
                    </Button>
                    <Button variant="default" onClick={() => setEditing(i)}>
                      Edit: {r.name}
                    </Button>
                    <Button
                      variant="default"
                      onClick={() => {
                        setDraft((rules) => rules.filter((_, j) => j !== i));
                        setEditing(null);
                        setSaveError(null);
                      }}
                    >
                      Delete: {r.name}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <div className="toolbar">
        <Button variant="default" onClick={() => setEditing(draft.length)}>
          Add rule
        </Button>
        <Button variant="default" disabled={!changed || save.isPending} onClick={() => save.mutate()}>
          Save rules
        </Button>
        <Button
          variant="default"
          disabled={!changed}
          onClick={() => {
            setDraft(saved);
            setEditing(null);
            setSaveError(null);
          }}
        >
          Discard changes
        </Button>
        {changed ? <span role="status">Unsaved changes</span> : savedNote ? <span role="status">Rules saved</span> : null}
      </div>
      <FormError error={saveError} shown={Object.keys(apiIssues).filter((f) => /^rules\[\d+\]/.test(f))} />
      {editing !== null ? (
        <RuleEditor
          key={`${editing}-${draft.length}`}
          index={editing}
          initial={draft[editing] ?? { ...EMPTY_RULE, name: `rule ${draft.length + 1}` }}
          isNew={editing >= draft.length}
          apiIssues={Object.fromEntries(
            Object.entries(apiIssues)
              .filter(([f]) => f.startsWith(`rules[${editing}].`))
              .map(([f, v]) => [f.replace(/^rules\[\d+\]\./, ''), v]),
          )}
          onApply={(rule) => {
            setDraft((rules) => (editing >= rules.length ? [...rules, rule] : rules.map((r, j) => (j === editing ? rule : r))));
            setEditing(null);
            setSavedNote(false);
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      <TryPayment merchantId={merchantId} draft={draft} onRuleErrors={showRuleErrors} />
    </section>
  );
}

function RuleEditor({
  index,
  initial,
  isNew,
  apiIssues,
  onApply,
  onCancel,
}: {
  index: number;
  initial: RuleInput;
  isNew: boolean;
  apiIssues: FieldIssues;
  onApply: (rule: RuleInput) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<RuleForm>(() => toForm(initial));
  const [local, setLocal] = useState<FieldIssues>({});
  const issues = { ...apiIssues, ...local };
  const set = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const unit = amountExponent(list(form.currencies, true));
  const weights = form.targets.map((t) => (/^\d+$/.test(t.weight.trim()) ? Number(t.weight.trim()) : 0));
  const sum = weights.reduce((a, b) => a + b, 0);
  const toggle = (values: string[], v: string, on: boolean) => (on ? [...values, v] : values.filter((x) => x !== v));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { rule, issues: found } = fromForm(form);
    setLocal(found);
    if (Object.keys(found).length === 0) onApply(rule);
  };
  const amountHint = unit
    ? `major units of ${list(form.currencies, true).join('/')} (${unit.exponent} decimals)`
    : 'minor units: give currencies of one exponent to type major units';
  return (
    <form aria-label={isNew ? 'New rule' : `Rule ${initial.name}`} className="rule-editor" noValidate onSubmit={submit}>
      <h4>{isNew ? 'New rule' : `Edit rule ${initial.name}`}</h4>
      <div className="grid">
        <CheckedField label="Rule name" issue={issues.name}>
          {(p) => <input {...p} value={form.name} onChange={(e) => set({ name: e.target.value })} />}
        </CheckedField>
        <CheckedField label="Priority" issue={issues.priority} hint="lower runs first">
          {(p) => <input {...p} inputMode="numeric" value={form.priority} onChange={(e) => set({ priority: e.target.value })} />}
        </CheckedField>
        <label className="check">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Rule enabled
        </label>
      </div>
      <fieldset>
        <legend>When (empty means any)</legend>
        <fieldset aria-label="Transaction types">
          <legend>Transaction types</legend>
          {TX_TYPES.map((t) => (
            <label className="check" key={t}>
              <input type="checkbox" checked={form.txTypes.includes(t)} onChange={(e) => set({ txTypes: toggle(form.txTypes, t, e.target.checked) })} /> {t}
            </label>
          ))}
          {issues['when.txTypes'] ? <small className="field-issue">{issues['when.txTypes']}</small> : null}
        </fieldset>
        <fieldset aria-label="Card brands">
          <legend>Card brands</legend>
          {CARD_BRANDS.map((b) => (
            <label className="check" key={b}>
              <input
                type="checkbox"
                checked={form.cardBrands.includes(b)}
                onChange={(e) => set({ cardBrands: toggle(form.cardBrands, b, e.target.checked) })}
              />{' '}
              {b}
            </label>
          ))}
          {issues['when.cardBrands'] ? <small className="field-issue">{issues['when.cardBrands']}</small> : null}
        </fieldset>
        <div className="grid">
          <CheckedField label="Services" issue={issues['when.services']} hint="comma-separated, e.g. UPI">
            {(p) => <input {...p} value={form.services} onChange={(e) => set({ services: e.target.value })} />}
          </CheckedField>
          <CheckedField label="Currencies" issue={issues['when.currencies']} hint="comma-separated, e.g. UAH, EUR">
            {(p) => <input {...p} value={form.currencies} onChange={(e) => set({ currencies: e.target.value })} />}
          </CheckedField>
          <CheckedField label="Countries" issue={issues['when.countries']} hint="ISO 3166 alpha-2, comma-separated">
            {(p) => <input {...p} value={form.countries} onChange={(e) => set({ countries: e.target.value })} />}
          </CheckedField>
          <CheckedField label="BIN prefixes" issue={issues['when.binPrefixes']} hint="1 to 8 digits each, comma-separated">
            {(p) => <input {...p} value={form.binPrefixes} onChange={(e) => set({ binPrefixes: e.target.value })} />}
          </CheckedField>
          <CheckedField label="Minimum amount" issue={issues['when.amountMin']} hint={amountHint}>
            {(p) => <input {...p} inputMode="decimal" value={form.amountMin} onChange={(e) => set({ amountMin: e.target.value })} />}
          </CheckedField>
          <CheckedField label="Maximum amount" issue={issues['when.amountMax']} hint={amountHint}>
            {(p) => <input {...p} inputMode="decimal" value={form.amountMax} onChange={(e) => set({ amountMax: e.target.value })} />}
          </CheckedField>
        </div>
      </fieldset>
      <fieldset>
        <legend>Then: targets, split by weight</legend>
        {form.targets.map((t, j) => (
          <div className="editor-row" role="group" aria-label={`Target ${j + 1}`} key={j}>
            <CheckedField label={`Provider of target ${j + 1}`} issue={issues[`then.targets[${j}].provider`]}>
              {(p) => (
                <input
                  {...p}
                  value={t.provider}
                  onChange={(e) => set({ targets: form.targets.map((x, k) => (k === j ? { ...x, provider: e.target.value } : x)) })}
                />
              )}
            </CheckedField>
            <CheckedField label={`Account of target ${j + 1}`} issue={issues[`then.targets[${j}].account`]}>
              {(p) => (
                <input
                  {...p}
                  value={t.account}
                  onChange={(e) => set({ targets: form.targets.map((x, k) => (k === j ? { ...x, account: e.target.value } : x)) })}
                />
              )}
            </CheckedField>
            <CheckedField
              label={`Weight of target ${j + 1}`}
              issue={issues[`then.targets[${j}].weight`]}
              hint={sum ? `${Math.round((weights[j] / sum) * 1000) / 10}% of payments` : undefined}
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={t.weight}
                  onChange={(e) => set({ targets: form.targets.map((x, k) => (k === j ? { ...x, weight: e.target.value } : x)) })}
                />
              )}
            </CheckedField>
            <Button variant="default" onClick={() => set({ targets: form.targets.filter((_, k) => k !== j) })}>
              Remove target {j + 1}
            </Button>
          </div>
        ))}
        <p role="status" aria-label="Weights sum">
          Weights sum: {sum}
        </p>
        {issues['then.targets'] ? <small className="field-issue">{issues['then.targets']}</small> : null}
        <Button variant="default" onClick={() => set({ targets: [...form.targets, { provider: '', account: 'DEFAULT', weight: '1' }] })}>
          Add target
        </Button>
      </fieldset>
      <fieldset>
        <legend>Fallback, tried in order when the target certainly did not take the payment</legend>
        {form.fallback.map((f, j) => (
          <div className="editor-row" role="group" aria-label={`Fallback ${j + 1}`} key={j}>
            <CheckedField label={`Provider of fallback ${j + 1}`} issue={issues[`then.fallback[${j}].provider`]}>
              {(p) => (
                <input
                  {...p}
                  value={f.provider}
                  onChange={(e) => set({ fallback: form.fallback.map((x, k) => (k === j ? { ...x, provider: e.target.value } : x)) })}
                />
              )}
            </CheckedField>
            <CheckedField label={`Account of fallback ${j + 1}`} issue={issues[`then.fallback[${j}].account`]}>
              {(p) => (
                <input
                  {...p}
                  value={f.account}
                  onChange={(e) => set({ fallback: form.fallback.map((x, k) => (k === j ? { ...x, account: e.target.value } : x)) })}
                />
              )}
            </CheckedField>
            <Button variant="default" onClick={() => set({ fallback: form.fallback.filter((_, k) => k !== j) })}>
              Remove fallback {j + 1}
            </Button>
          </div>
        ))}
        {issues['then.fallback'] ? <small className="field-issue">{issues['then.fallback']}</small> : null}
        <Button variant="default" onClick={() => set({ fallback: [...form.fallback, { provider: '', account: 'DEFAULT' }] })}>
          Add fallback
        </Button>
      </fieldset>
      <div className="actions">
        <Button type="submit">{isNew ? 'Add to draft' : 'Apply to draft'}</Button>
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <span className="muted">rule {index + 1} of the list</span>
      </div>
    </form>
  );
}

function TryPayment({ merchantId, draft, onRuleErrors }: { merchantId: string; draft: RuleInput[]; onRuleErrors: (e: unknown) => void }) {
  const [txType, setTxType] = useState<string>(TxType.CreditcardDeposit);
  const [service, setService] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('');
  const [country, setCountry] = useState('');
  const [cardNumber, setCardNumber] = useState('');
  const [cardBrand, setCardBrand] = useState('');
  const [bin, setBin] = useState('');
  const [local, setLocal] = useState<FieldIssues>({});
  const explain = useMutation({
    mutationFn: (payment: Record<string, unknown>) =>
      api.post<Explanation>('/backoffice/merchants/{id}/routing/explain-draft', { path: { id: merchantId }, body: { rules: draft, payment } }),
    onError: (e) => {
      if (e instanceof ApiError && e.details.some((d) => d.field?.startsWith('rules['))) onRuleErrors(e);
    },
  });
  const apiIssues = Object.fromEntries(
    Object.entries(issuesOf(explain.error))
      .filter(([f]) => f.startsWith('payment.') || f === 'payment')
      .map(([f, v]) => [f.replace(/^payment\.?/, ''), v]),
  );
  const issues = { ...apiIssues, ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: FieldIssues = {};
    const cur = currency.trim().toUpperCase();
    let minor: number | undefined;
    if (exponentOf(cur) === null) problems.currency = 'Enter a currency payhub supports';
    else {
      const parsed = parseMajor(amount, cur);
      if ('error' in parsed) problems.amount = parsed.error;
      else minor = Number(parsed.minor);
    }
    setLocal(problems);
    if (Object.keys(problems).length) return;
    explain.mutate({
      txType,
      amount: minor,
      currency: cur,
      ...(service.trim() ? { service: service.trim() } : {}),
      ...(country.trim() ? { country: country.trim().toUpperCase() } : {}),
      ...(cardNumber.trim() ? { cardNumber: cardNumber.trim() } : {}),
      ...(cardBrand ? { cardBrand } : {}),
      ...(bin.trim() ? { bin: bin.trim() } : {}),
    });
  };
  const result = explain.data;
  return (
    <section aria-labelledby="try-title">
      <h3 id="try-title">Try a payment</h3>
      <p className="muted">Explains the rules as they are in the list above (the draft, saved or not); nothing is stored.</p>
      <form aria-label="Try a payment" className="grid" noValidate onSubmit={submit}>
        <CheckedField label="Transaction type" issue={issues.txType}>
          {(p) => (
            <select {...p} value={txType} onChange={(e) => setTxType(e.target.value)}>
              {TX_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </CheckedField>
        <CheckedField label="Service" issue={issues.service} hint="optional, e.g. UPI">
          {(p) => <input {...p} value={service} onChange={(e) => setService(e.target.value)} />}
        </CheckedField>
        <CheckedField
          label="Amount"
          issue={issues.amount}
          hint={exponentOf(currency.trim().toUpperCase()) !== null ? `major units, ${exponentOf(currency.trim().toUpperCase())} decimals` : 'major units'}
        >
          {(p) => <input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
        </CheckedField>
        <CheckedField label="Currency" issue={issues.currency}>
          {(p) => <input {...p} value={currency} maxLength={5} onChange={(e) => setCurrency(e.target.value)} />}
        </CheckedField>
        <CheckedField label="Country" issue={issues.country} hint="optional, ISO 3166 alpha-2">
          {(p) => <input {...p} value={country} maxLength={2} onChange={(e) => setCountry(e.target.value)} />}
        </CheckedField>
        <CheckedField label="Card number" issue={issues.cardNumber} hint="optional; only brand and BIN are used, never stored">
          {(p) => <input {...p} value={cardNumber} autoComplete="off" inputMode="numeric" onChange={(e) => setCardNumber(e.target.value)} />}
        </CheckedField>
        <CheckedField label="Card brand" issue={issues.cardBrand} hint="or brand and/or BIN instead of a number">
          {(p) => (
            <select {...p} value={cardBrand} onChange={(e) => setCardBrand(e.target.value)}>
              <option value="">—</option>
              {CARD_BRANDS.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          )}
        </CheckedField>
        <CheckedField label="BIN" issue={issues.bin} hint="first 6 to 8 digits">
          {(p) => <input {...p} value={bin} inputMode="numeric" maxLength={8} onChange={(e) => setBin(e.target.value)} />}
        </CheckedField>
        <div className="actions">
          <Button type="submit" disabled={explain.isPending}>
            Explain
          </Button>
        </div>
        <FormError
          error={
            explain.isError && !(explain.error instanceof ApiError && explain.error.details.some((d) => d.field?.startsWith('rules['))) ? explain.error : null
          }
          shown={Object.keys(issuesOf(explain.error))}
        />
        {explain.error instanceof ApiError && explain.error.details.some((d) => d.field?.startsWith('rules[')) ? (
          <p role="alert" className="error">
            The draft rules have problems (shown at the rules above); fix them to explain.
          </p>
        ) : null}
      </form>
      {result && !explain.isError ? (
        <div role="region" aria-label="Explanation" className="notice">
          {result.decision ? (
            <p>
              <strong>
                Routes to {result.decision.target.provider}/{result.decision.target.account} by rule “{result.decision.ruleName}”
              </strong>
              : {result.decision.reason}
              {result.decision.fallback.length ? ` · fallback ${result.decision.fallback.map((f) => `${f.provider}/${f.account}`).join(', ')}` : ''}
            </p>
          ) : (
            <p>
              <strong>No route</strong>: {result.error?.message} [{result.error?.code}]
            </p>
          )}
          <p>
            Payment as routing saw it: {result.payment.txType}, {formatMoney(result.payment.amount, result.payment.currency)}
            {result.payment.cardBrand ? `, ${result.payment.cardBrand}` : ''}
            {result.payment.bin ? `, BIN ${result.payment.bin}` : ''} · 3DS2: {result.threeDs ? (result.threeDs.enabled ? result.threeDs.mode : 'off') : '—'}
          </p>
          <Table aria-label="Rule evaluation">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">Priority</Table.Th>
                <Table.Th scope="col">Result</Table.Th>
                <Table.Th scope="col">Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.rules.map((r) => (
                <Table.Tr key={r.ruleId} className={r.selected ? 'selected' : undefined}>
                  <Table.Td>{r.ruleName}</Table.Td>
                  <Table.Td className="num">{r.priority}</Table.Td>
                  <Table.Td>
                    {r.selected ? 'selected' : r.matched ? (r.enabled ? 'matches, not first' : 'disabled') : r.enabled ? 'no match' : 'disabled'}
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ) : null}
    </section>
  );
}

function ThreeDsMerchant({ merchantId }: { merchantId: string }) {
  const setting = useQuery({
    queryKey: ['routing', merchantId, 'three-ds'],
    queryFn: () => api.get<ThreeDsSetting>('/backoffice/merchants/{id}/three-ds-routing', { path: { id: merchantId } }),
  });
  return (
    <section aria-labelledby="three-ds-title">
      <h3 id="three-ds-title">3DS2 routing (merchant)</h3>
      <p className="muted">Applies to every account that has no 3DS2 setting of its own (below, per provider account).</p>
      <QueryState query={setting}>{(s) => <ThreeDsForm merchantId={merchantId} current={s} />}</QueryState>
    </section>
  );
}

function ThreeDsForm({ merchantId, current }: { merchantId: string; current: ThreeDsSetting }) {
  const queries = useQueryClient();
  const [enabled, setEnabled] = useState(current.enabled);
  const [mode, setMode] = useState<ThreeDsMode>(current.mode);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => api.put<ThreeDsSetting>('/backoffice/merchants/{id}/three-ds-routing', { path: { id: merchantId }, body: { enabled, mode } }),
    onSuccess: (after) => {
      setSaved(true);
      queries.setQueryData(['routing', merchantId, 'three-ds'], after);
    },
  });
  const issues = issuesOf(save.error);
  return (
    <form
      aria-label="Merchant 3DS2 routing"
      className="grid"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        save.mutate();
      }}
    >
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> 3DS2 routing enabled
      </label>
      <CheckedField label="3DS2 mode" issue={issues.mode}>
        {(p) => (
          <select {...p} value={mode} onChange={(e) => setMode(e.target.value as ThreeDsMode)}>
            {THREE_DS_MODES.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        )}
      </CheckedField>
      <div className="actions">
        <Button type="submit" disabled={save.isPending}>
          Save 3DS2 setting
        </Button>
        {saved ? <span role="status">3DS2 setting saved</span> : null}
      </div>
      <FormError error={save.error} shown={['enabled', 'mode']} />
    </form>
  );
}

const PAYWAY_ENTRY = /^([A-Z]+)(?:_([A-Z]{3}))?\s*->\s*([A-Za-z0-9_.:-]+)$/;

/**
 * PaymentIQ's `paywayMapping` read as libs/routing's parsePaywayMapping reads it at payment time
 * (BRAND or BRAND_CUR -> payway; blank means the default; a bad entry is refused, never skipped).
 * The config API stores the string without parsing it, so the console checks it before saving.
 */
export function parsePayways(mapping: string): { entries: Map<string, string>; issues: string[] } {
  const source = mapping.trim() ? mapping : 'VISA->visa,MASTERCARD->mastercard';
  const entries = new Map<string, string>();
  const issues: string[] = [];
  for (const entry of source
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const match = PAYWAY_ENTRY.exec(entry);
    if (!match) issues.push(`entry "${entry}" is not BRAND->payway or BRAND_CUR->payway`);
    else if (!(CARD_BRANDS as readonly string[]).includes(match[1])) issues.push(`entry "${entry}" names unknown card brand ${match[1]}`);
    else {
      const key = match[2] ? `${match[1]}_${match[2]}` : match[1];
      if (entries.has(key)) issues.push(`entry "${entry}" maps ${key} a second time`);
      else entries.set(key, match[3]);
    }
  }
  return { entries, issues };
}

interface ProviderConfigView {
  provider: string;
  version: number;
  config: { paywayMapping?: string; accounts: Record<string, Record<string, unknown>>; [k: string]: unknown };
}

function ProviderSettings({ merchantId, providers }: { merchantId: string; providers: string[] }) {
  const [provider, setProvider] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-labelledby="provider-settings-title">
      <h3 id="provider-settings-title">Payway mapping and account 3DS2</h3>
      <p className="muted">Per provider config: which payway each card brand and currency goes to, and each account&apos;s own 3DS2 setting.</p>
      <form
        className="toolbar"
        aria-label="Choose provider"
        onSubmit={(e) => {
          e.preventDefault();
          if (provider.trim()) setOpen(provider.trim());
        }}
      >
        <CheckedField label="Provider" hint={providers.length ? `named by the rules: ${providers.join(', ')}` : undefined}>
          {(p) => (
            <>
              <input {...p} list="routing-providers" value={provider} onChange={(e) => setProvider(e.target.value)} />
              <datalist id="routing-providers">
                {providers.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </>
          )}
        </CheckedField>
        <Button type="submit">Open provider config</Button>
      </form>
      {open ? <ProviderConfigEditor key={open} merchantId={merchantId} provider={open} /> : null}
    </section>
  );
}

function ProviderConfigEditor({ merchantId, provider }: { merchantId: string; provider: string }) {
  const view = useQuery({
    queryKey: ['provider-config', merchantId, provider],
    queryFn: () => api.get<ProviderConfigView>('/backoffice/merchants/{id}/providers/{provider}/config', { path: { id: merchantId, provider } }),
    retry: false,
  });
  const [outcome, setOutcome] = useState<string | null>(null);
  return (
    <QueryState query={view}>
      {(v) => <ProviderConfigForm key={v.version} merchantId={merchantId} view={v} outcome={outcome} setOutcome={setOutcome} />}
    </QueryState>
  );
}

function ProviderConfigForm({
  merchantId,
  view,
  outcome,
  setOutcome,
}: {
  merchantId: string;
  view: ProviderConfigView;
  outcome: string | null;
  setOutcome: (text: string | null) => void;
}) {
  const queries = useQueryClient();
  const [mapping, setMapping] = useState(view.config.paywayMapping ?? '');
  const accounts = Object.keys(view.config.accounts);
  const [threeDs, setThreeDs] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      accounts.map((a) => {
        const s = view.config.accounts[a].threeDsRouting as ThreeDsSetting | undefined;
        return [a, s ? (s.enabled ? s.mode : 'off') : 'inherit'];
      }),
    ),
  );
  const currencies = useMemo(() => {
    const found = new Set<string>();
    for (const a of accounts) {
      const supported = view.config.accounts[a].supportedCurrencies;
      if (typeof supported === 'string') supported.split('|').forEach((c) => c && found.add(c));
    }
    for (const m of mapping.matchAll(/[A-Z]+_([A-Z]{3})\s*->/g)) found.add(m[1]);
    return [...found].sort();
  }, [mapping, accounts, view]);
  const [previewCurrencies, setPreviewCurrencies] = useState(currencies.join(', '));
  const save = useMutation({
    mutationFn: () => {
      const config = structuredClone(view.config);
      if (mapping.trim()) config.paywayMapping = mapping.trim();
      else delete config.paywayMapping;
      for (const a of accounts) {
        const choice = threeDs[a];
        if (choice === 'inherit') delete config.accounts[a].threeDsRouting;
        else config.accounts[a].threeDsRouting = { enabled: choice !== 'off', mode: choice };
      }
      // Secrets stay masked: the API keeps the stored ones for a masked value.
      return api.putWithStatus<ProviderConfigView | { id: string }>('/backoffice/merchants/{id}/providers/{provider}/config', {
        path: { id: merchantId, provider: view.provider },
        body: config,
      });
    },
    onSuccess: ({ status, body }) => {
      setOutcome(
        status === 202
          ? `Proposed: pending change ${(body as { id: string }).id} waits for a second admin.`
          : `Saved as version ${(body as ProviderConfigView).version}.`,
      );
      void queries.invalidateQueries({ queryKey: ['provider-config', merchantId, view.provider] });
    },
  });
  const parsed = parsePayways(mapping);
  const [localIssue, setLocalIssue] = useState<string | undefined>();
  const issues: FieldIssues = { ...issuesOf(save.error), ...(localIssue ? { paywayMapping: localIssue } : {}) };
  const previewList = list(previewCurrencies, true);
  return (
    <form
      aria-label={`${view.provider} payway and 3DS2`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setOutcome(null);
        setLocalIssue(parsed.issues.length ? parsed.issues.join('; ') : undefined);
        if (parsed.issues.length === 0) save.mutate();
      }}
    >
      <p className="muted">
        {view.provider} config version {view.version}
      </p>
      <CheckedField
        label="Payway mapping"
        issue={issues.paywayMapping}
        hint="BRAND->payway or BRAND_CUR->payway, comma-separated; empty means VISA->visa,MASTERCARD->mastercard"
      >
        {(p) => (
          <textarea
            {...p}
            rows={3}
            value={mapping}
            spellCheck={false}
            onChange={(e) => {
              setMapping(e.target.value);
              setLocalIssue(undefined);
            }}
          />
        )}
      </CheckedField>
      <CheckedField label="Preview currencies" hint="comma-separated">
        {(p) => <input {...p} value={previewCurrencies} onChange={(e) => setPreviewCurrencies(e.target.value)} />}
      </CheckedField>
      <Table aria-label="Payway preview">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Brand</Table.Th>
            {previewList.map((c) => (
              <Table.Th scope="col" key={c}>
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {CARD_BRANDS.map((b) => (
            <Table.Tr key={b}>
              <Table.Th scope="row">{b}</Table.Th>
              {previewList.map((c) => {
                const payway = parsed.entries.get(`${b}_${c}`) ?? parsed.entries.get(b) ?? null;
                return <Table.Td key={c}>{payway ?? <span className="muted">refused (no payway)</span>}</Table.Td>;
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <fieldset>
        <legend>3DS2 per account (overrides the merchant setting)</legend>
        {accounts.map((a) => (
          <CheckedField key={a} label={`3DS2 of account ${a}`} issue={issues[`accounts.${a}.threeDsRouting`] ?? issues[`accounts.${a}.threeDsRouting.mode`]}>
            {(p) => (
              <select {...p} value={threeDs[a]} onChange={(e) => setThreeDs((s) => ({ ...s, [a]: e.target.value }))}>
                <option value="inherit">as the merchant</option>
                {THREE_DS_MODES.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            )}
          </CheckedField>
        ))}
      </fieldset>
      <div className="actions">
        <Button type="submit" disabled={save.isPending}>
          Save provider settings
        </Button>
        {outcome ? <span role="status">{outcome}</span> : null}
      </div>
      <FormError
        error={save.error}
        shown={['paywayMapping', ...accounts.flatMap((a) => [`accounts.${a}.threeDsRouting`, `accounts.${a}.threeDsRouting.mode`])]}
      />
    </form>
  );
}
