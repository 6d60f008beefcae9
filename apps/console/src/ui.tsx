import { useEffect, useId, useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { Alert, Badge, Button, Code, Group, Input, Modal, Text, TextInput, type MantineColor } from '@mantine/core';
import { ApiError, getPage, type Page } from './api/client';

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.details.filter((d) => d.field).map((d) => `${d.field} ${d.issue ?? ''}`.trim());
    return `${error.message}${fields.length ? ` (${fields.join('; ')})` : ''} [${error.code}]`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Loading, error (with a retry) and empty states, the same on every screen. */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <Text role="status" c="dimmed">
        Loading…
      </Text>
    );
  if (query.isError) {
    return (
      <Alert color="red" variant="light">
        <Text>Could not load: {errorText(query.error)}</Text>
        <Button mt="xs" variant="default" onClick={() => void query.refetch()}>
          Try again
        </Button>
      </Alert>
    );
  }
  // While the rows of the previous filter or page are still shown, the region says it is busy.
  const busy = query.isPlaceholderData;
  if (isEmpty?.(query.data))
    return (
      <Text className="empty" c="dimmed" aria-busy={busy}>
        {empty ?? 'Nothing here.'}
      </Text>
    );
  return (
    <div aria-busy={busy} className={busy ? 'stale' : undefined}>
      {children(query.data)}
    </div>
  );
}

/** Cursor pages: a stack of the cursors that led here, so "Previous page" goes back exactly. */
export function usePagedQuery<T>(key: unknown[], load: (cursor: string | undefined) => Promise<Page<T>>) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const keyText = JSON.stringify(key);
  useEffect(() => setCursors([undefined]), [keyText]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({ queryKey: [...key, cursor], queryFn: () => load(cursor), placeholderData: keepPreviousData });
  const pager = (
    <Group component="nav" aria-label="Pages" className="pager" gap="xs" mt="sm">
      <Button variant="default" disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
        Previous page
      </Button>
      <Text span size="sm">
        Page {cursors.length}
      </Text>
      <Button variant="default" disabled={!query.data?.nextCursor} onClick={() => setCursors((c) => [...c, query.data!.nextCursor!])}>
        Next page
      </Button>
    </Group>
  );
  return { query, pager, page: cursors.length };
}

/** A modal dialog (Mantine Modal): focus moves in and stays, Escape closes, the name is its title (an h2). */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  return (
    <Modal opened onClose={onClose} title={title}>
      {children}
    </Modal>
  );
}

/**
 * A label, the control it names (given the id to carry) and a hint, for controls that are not a Mantine
 * input (a checkbox group, a datalist, a file). Mantine inputs take `label` and `description` themselves.
 */
export function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <Input.Wrapper className="field" id={id} label={label} description={hint} inputWrapperOrder={['label', 'input', 'description']}>
      {children(id)}
    </Input.Wrapper>
  );
}

export function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return (
    <Code block className="json">
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  return <time dateTime={at}>{at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>;
}

const STATUS_COLOURS: Record<string, MantineColor> = {
  SUCCESSFUL: 'green',
  DELIVERED: 'green',
  ACTIVE: 'green',
  MATCHED: 'green',
  FAILED: 'red',
  ERROR: 'red',
  INCONSISTENT: 'orange',
  MISMATCH: 'orange',
  WAITING_APPROVAL: 'yellow',
  PENDING: 'yellow',
  PROCESSING: 'blue',
  WAITING_INPUT: 'blue',
  REGISTERED: 'gray',
  CANCELLED: 'gray',
  DISABLED: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge color={STATUS_COLOURS[status.toUpperCase()] ?? 'gray'}>{status}</Badge>;
}

/**
 * A merchant by id, with the first merchants offered as suggestions (a list of every merchant would
 * not fit a select once there are thousands). Empty means any merchant where the screen allows it.
 */
export function MerchantField({
  value,
  onChange,
  required,
  label = 'Merchant',
}: {
  value: string;
  onChange: (id: string) => void;
  required?: boolean;
  label?: string;
}) {
  const listId = useId();
  const merchants = useQuery({
    queryKey: ['merchants', 'suggestions'],
    queryFn: () => getPage<{ id: string; name: string }>('/backoffice/merchants', { limit: 100 }),
    staleTime: 60_000,
  });
  return (
    <div className="field">
      <TextInput
        label={label}
        description="merchant id (mer_…)"
        inputWrapperOrder={['label', 'input', 'description']}
        list={listId}
        value={value}
        required={required}
        withAsterisk={false}
        placeholder={required ? '' : 'any merchant'}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value.trim())}
      />
      <datalist id={listId}>
        {(merchants.data?.items ?? []).map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </datalist>
    </div>
  );
}
