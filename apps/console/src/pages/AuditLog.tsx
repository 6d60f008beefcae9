import { useState, type FormEvent } from 'react';
import { Button, Table, TextInput } from '@mantine/core';
import { api, getPage } from '../api/client';
import type { AuditEntry } from '../api/types';
import { errorText, Json, QueryState, usePagedQuery, When } from '../ui';

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
        <TextInput
          label="Actor"
          description="staff id (stf_…) or cli:<os user>"
          inputWrapperOrder={['label', 'input', 'description']}
          value={form.actorId}
          onChange={set('actorId')}
        />
        <TextInput
          label="Action"
          description="e.g. withdrawal.approve"
          inputWrapperOrder={['label', 'input', 'description']}
          value={form.action}
          onChange={set('action')}
        />
        <TextInput label="Target type" value={form.targetType} onChange={set('targetType')} />
        <TextInput label="Target id" value={form.targetId} onChange={set('targetId')} />
        <TextInput label="From" type="datetime-local" value={form.from} onChange={set('from')} />
        <TextInput label="To" type="datetime-local" value={form.to} onChange={set('to')} />
        <div className="actions">
          <Button type="submit">Apply filters</Button>
          <Button
            variant="default"
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
          </Button>
        </div>
        {exportError ? (
          <p role="alert" className="error">
            {exportError}
          </p>
        ) : null}
      </form>
      <QueryState query={query} isEmpty={(p) => p.items.length === 0} empty="No audit entries match these filters.">
        {(page) => (
          <Table aria-label="Audit entries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Actor</Table.Th>
                <Table.Th scope="col">Action</Table.Th>
                <Table.Th scope="col">Target</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">Before and after</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <When at={a.at} />
                  </Table.Td>
                  <Table.Td>{a.actor?.email ?? a.actor?.id ?? 'system'}</Table.Td>
                  <Table.Td>{a.action}</Table.Td>
                  <Table.Td>
                    {a.target.type} {a.target.id}
                  </Table.Td>
                  <Table.Td>{a.reason ?? ''}</Table.Td>
                  <Table.Td>
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
