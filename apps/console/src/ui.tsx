import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
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
      <p role="status" className="muted">
        Loading…
      </p>
    );
  if (query.isError) {
    return (
      <div role="alert" className="error">
        <p>Could not load: {errorText(query.error)}</p>
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  // While the rows of the previous filter or page are still shown, the region says it is busy.
  const busy = query.isPlaceholderData;
  if (isEmpty?.(query.data))
    return (
      <p className="empty" aria-busy={busy}>
        {empty ?? 'Nothing here.'}
      </p>
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
    <nav aria-label="Pages" className="pager">
      <button type="button" disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
        Previous page
      </button>
      <span>Page {cursors.length}</span>
      <button type="button" disabled={!query.data?.nextCursor} onClick={() => setCursors((c) => [...c, query.data!.nextCursor!])}>
        Next page
      </button>
    </nav>
  );
  return { query, pager, page: cursors.length };
}

/** A modal dialog on the native <dialog>: focus moves in, Escape closes, the name comes from its heading. */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

export function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint ? <small>{hint}</small> : null}
    </div>
  );
}

export function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  return <time dateTime={at}>{at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
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
    <Field label={label} hint="merchant id (mer_…)">
      {(id) => (
        <>
          <input
            id={id}
            list={listId}
            value={value}
            required={required}
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
        </>
      )}
    </Field>
  );
}
