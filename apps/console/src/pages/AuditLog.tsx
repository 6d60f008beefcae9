import { useState, type FormEvent } from 'react';
import { api, getPage } from '../api/client';
import type { AuditEntry } from '../api/types';
import { errorText, Field, Json, QueryState, usePagedQuery, When } from '../ui';

type FilterKey = 'actorId' | 'action' | 'targetType' | 'targetId' | 'from' | 'to';
type Filters = Partial<Record<FilterKey, string>>;

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function AuditLog() {
  const [filters, setFilters] = useState<Filters>({});
  const [form, setForm] = useState({ actorId: '', action: '', targetType: '', targetId: '', from: '', to: '' });
  const [exportError, setExportError] = useState<string | null>(null);
  const { query, pager } = usePagedQuery(['audit', filters], (cursor) =>
    getPage<AuditEntry>('/backoffice/audit-log', { ...filters, limit: 25, startingAfter: cursor }),
  );
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters({
      actorId: form.actorId.trim() || undefined,
      action: form.action.trim() || undefined,
      targetType: form.targetType.trim() || undefined,
      targetId: form.targetId.trim() || undefined,
      from: toIso(form.from),
      to: toIso(form.to),
    });
  }

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="filters" onSubmit={apply} aria-label="Audit filters">
        <Field label="Actor" hint="staff id (stf_…) or cli:<os user>">
          {(id) => <input id={id} value={form.actorId} onChange={set('actorId')} />}
        </Field>
        <Field label="Action" hint="e.g. withdrawal.approve">
          {(id) => <input id={id} value={form.action} onChange={set('action')} />}
        </Field>
        <Field label="Target type">{(id) => <input id={id} value={form.targetType} onChange={set('targetType')} />}</Field>
        <Field label="Target id">{(id) => <input id={id} value={form.targetId} onChange={set('targetId')} />}</Field>
        <Field label="From">{(id) => <input id={id} type="datetime-local" value={form.from} onChange={set('from')} />}</Field>
        <Field label="To">{(id) => <input id={id} type="datetime-local" value={form.to} onChange={set('to')} />}</Field>
        <div className="actions">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            onClick={async () => {
              setExportError(null);
              try {
                await api.download('/backoffice/audit-log/export.csv', filters, 'audit-log.csv');
              } catch (e) {
                setExportError(errorText(e));
              }
            }}
          >
            Export CSV
          </button>
        </div>
        {exportError ? (
          <p role="alert" className="error">
            {exportError}
          </p>
        ) : null}
      </form>
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No audit entries match these filters.">
        {(page) => (
          <table aria-label="Audit entries">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">Before and after</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <When at={a.at} />
                  </td>
                  <td>{a.actor?.email ?? a.actor?.id ?? 'system'}</td>
                  <td>{a.action}</td>
                  <td>
                    {a.target.type} {a.target.id}
                  </td>
                  <td>{a.reason ?? ''}</td>
                  <td>
                    <details>
                      <summary>Before and after</summary>
                      <div className="diff">
                        <div>
                          <h4>Before</h4>
                          <Json value={a.before} />
                        </div>
                        <div>
                          <h4>After</h4>
                          <Json value={a.after} />
                        </div>
                      </div>
                    </details>
                  </td>
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
