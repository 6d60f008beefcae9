import { useId, useState, type ReactNode } from 'react';
import { Input, TextInput } from '@mantine/core';
import { Button } from '@mantine/core';
import { ApiError } from './api/client';
import { errorText } from './ui';

/**
 * Errors at the field the API names: a 400's `details[].field` (`name`, `rules[0].when.currencies`, …)
 * is shown under the input that edits that field; what no input claims is shown in the form's alert.
 * Local checks (an amount with too many decimals) use the same map, so both read the same.
 */
export type FieldIssues = Record<string, string>;

export function issuesOf(error: unknown): FieldIssues {
  if (!(error instanceof ApiError)) return {};
  const issues: FieldIssues = {};
  for (const d of error.details) {
    if (!d.field) continue;
    issues[d.field] = issues[d.field] ? `${issues[d.field]}; ${d.issue ?? ''}` : (d.issue ?? 'is invalid');
  }
  return issues;
}

/** The message for the form as a whole: the error's text without the per-field list when every field is shown at its input. */
export function FormError({ error, shown }: { error: unknown; shown: readonly string[] }) {
  if (!error) return null;
  const unclaimed = error instanceof ApiError ? error.details.filter((d) => d.field && !shown.includes(d.field)) : [];
  const text =
    error instanceof ApiError
      ? `${error.message}${unclaimed.length ? ` (${unclaimed.map((d) => `${d.field} ${d.issue ?? ''}`.trim()).join('; ')})` : ''} [${error.code}]`
      : errorText(error);
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}

/** A labelled input with its hint and, when the API (or a local check) names its field, the issue under it. */
export function CheckedField({
  label,
  issue,
  hint,
  children,
}: {
  label: string;
  issue?: string;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const issueId = `${id}-issue`;
  return (
    <Input.Wrapper className="field" id={id} label={label} description={hint} inputWrapperOrder={['label', 'input', 'description']}>
      {children({ id, 'aria-invalid': Boolean(issue), 'aria-describedby': issue ? issueId : undefined })}
      {issue ? (
        <small id={issueId} className="field-issue" role="alert">
          {issue}
        </small>
      ) : null}
    </Input.Wrapper>
  );
}

/** A secret the API shows once: a read-only input, a copy button, and the warning that it will not be shown again. */
/** `copyName` names the copy button ("Copy API key"). */
export function ShownOnce({ label, value, copyName }: { label: string; value: string; copyName: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="field shown-once">
      <div className="inline">
        <TextInput label={label} readOnly value={value} spellCheck={false} onFocus={(e) => e.target.select()} />
        <Button
          variant="default"
          onClick={() => {
            void navigator.clipboard.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copyName}
        </Button>
        {copied ? <span role="status">Copied</span> : null}
      </div>
      <small>Shown once: it cannot be read again later. Copy it now.</small>
    </div>
  );
}
