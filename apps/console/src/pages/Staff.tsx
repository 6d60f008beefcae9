import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { encode } from 'uqr';
import { api, ApiError, getPage } from '../api/client';
import type { PendingChange, StaffMember, TotpEnrolment } from '../api/types';
import { useAuth } from '../auth';
import { Dialog, errorText, Field, QueryState, When } from '../ui';

const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
type Role = (typeof ROLES)[number];
/** Granting these waits for a second admin (maker-checker): the API answers 202 with a proposal. */
const PRIVILEGED: Role[] = ['approver', 'admin'];
const MIN_PASSWORD = 10;

/** Staff: the list and its repairs for admins; one's own second factor for everyone. */
export function Staff() {
  const { can } = useAuth();
  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">Staff</h1>
      {can('admin') ? (
        <>
          <StaffList />
          <CreateStaff />
        </>
      ) : null}
      <SecondFactor />
    </section>
  );
}

type Outcome = { kind: 'applied' | 'proposed'; text: string };

/** Created at once (201) or a pending change a second admin confirms (202). */
const isProposal = (body: StaffMember | PendingChange): body is PendingChange => 'kind' in body && 'expiresAt' in body;

function StaffList() {
  const { me } = useAuth();
  const queries = useQueryClient();
  const staff = useQuery({ queryKey: ['staff'], queryFn: () => getPage<StaffMember>('/backoffice/staff') });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [resetting, setResetting] = useState<StaffMember | null>(null);

  const update = useMutation({
    mutationFn: async ({ member, body, done }: { member: StaffMember; body: Record<string, unknown>; done: string }) => {
      await api.patch<StaffMember>('/backoffice/staff/{id}', { path: { id: member.id }, body });
      return `${member.email}: ${done}`;
    },
    onSuccess: (text) => {
      setOutcome({ kind: 'applied', text });
      setResetting(null);
      void queries.invalidateQueries({ queryKey: ['staff'] });
    },
    onError: (e, { member }) => setOutcome({ kind: 'applied', text: `${member.email}: not changed: ${errorText(e)}` }),
  });
  const unlock = useMutation({
    mutationFn: async (member: StaffMember) => {
      await api.post('/backoffice/staff/{id}/unlock', { path: { id: member.id } });
      return `${member.email}: unlocked`;
    },
    onSuccess: (text) => {
      setOutcome({ kind: 'applied', text });
      void queries.invalidateQueries({ queryKey: ['staff'] });
    },
    onError: (e, member) => setOutcome({ kind: 'applied', text: `${member.email}: not unlocked: ${errorText(e)}` }),
  });
  const busy = update.isPending || unlock.isPending;

  return (
    <section aria-labelledby="staff-list-title">
      <h2 id="staff-list-title">Staff members</h2>
      {outcome && !resetting ? (
        <p role="status" className="notice">
          {outcome.text}
        </p>
      ) : null}
      <QueryState query={staff} isEmpty={(p) => p.items.length === 0} empty="No staff members.">
        {(page) => (
          <Table aria-label="Staff members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Email</Table.Th>
                <Table.Th scope="col">Roles</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Second factor</Table.Th>
                <Table.Th scope="col">Locked</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Th scope="row">{m.email}</Table.Th>
                  <Table.Td>{m.roles.join(', ')}</Table.Td>
                  <Table.Td>{m.status}</Table.Td>
                  <Table.Td>{m.totpEnabled ? 'on' : 'off'}</Table.Td>
                  <Table.Td>{m.locked ? 'locked' : 'no'}</Table.Td>
                  <Table.Td>
                    <When at={m.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    {m.id === me?.id ? (
                      <span className="muted">you</span>
                    ) : (
                      <>
                        {m.status === 'active' ? (
                          <Button
                            variant="default"
                            disabled={busy}
                            onClick={() => update.mutate({ member: m, body: { status: 'disabled' }, done: 'disabled, sessions ended' })}
                          >
                            Disable
                          </Button>
                        ) : (
                          <Button variant="default" disabled={busy} onClick={() => update.mutate({ member: m, body: { status: 'active' }, done: 'enabled' })}>
                            Enable
                          </Button>
                        )}
                        {m.locked ? (
                          <Button variant="default" disabled={busy} onClick={() => unlock.mutate(m)}>
                            Unlock
                          </Button>
                        ) : null}
                        <Button variant="default" disabled={busy} onClick={() => setResetting(m)}>
                          Reset password
                        </Button>
                      </>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {resetting ? (
        <ResetPasswordDialog
          member={resetting}
          pending={update.isPending}
          error={update.isError ? errorText(update.error) : null}
          onClose={() => {
            update.reset();
            setResetting(null);
          }}
          onConfirm={(password) => update.mutate({ member: resetting, body: { password }, done: 'temporary password set, sessions ended' })}
        />
      ) : null}
    </section>
  );
}

function ResetPasswordDialog({
  member,
  pending,
  error,
  onClose,
  onConfirm,
}: {
  member: StaffMember;
  pending: boolean;
  error: string | null;
  onClose: () => void;
  onConfirm: (password: string) => void;
}) {
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Dialog title={`Reset the password of ${member.email}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (password.length < MIN_PASSWORD) return setProblem(`At least ${MIN_PASSWORD} characters`);
          onConfirm(password);
        }}
      >
        <TextInput
          label="Temporary password"
          description={`At least ${MIN_PASSWORD} characters; hand it over out of band. Every session of ${member.email} ends.`}
          inputWrapperOrder={['label', 'input', 'description']}
          type="text"
          autoComplete="off"
          data-autofocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {problem || error ? (
          <p role="alert" className="error">
            {problem ?? error}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" disabled={pending}>
            Set password
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function CreateStaff() {
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(['viewer']);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const create = useMutation({
    mutationFn: () => api.post<StaffMember | PendingChange>('/backoffice/staff', { body: { email: email.trim(), password, roles } }),
    onSuccess: (body) => {
      setOutcome(
        isProposal(body)
          ? { kind: 'proposed', text: `Proposed ${email.trim()} as ${roles.join(', ')}: a second admin confirms it under Pending changes (${body.id}).` }
          : { kind: 'applied', text: `Created ${body.email} (${body.roles.join(', ')}).` },
      );
      setEmail('');
      setPassword('');
      setRoles(['viewer']);
      void queries.invalidateQueries({ queryKey: ['staff'] });
      void queries.invalidateQueries({ queryKey: ['pending-changes'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOutcome(null);
    if (!/^[^@\s]+@[^@\s]+$/.test(email.trim())) return setProblem('Enter an email address');
    if (password.length < MIN_PASSWORD) return setProblem(`The temporary password needs at least ${MIN_PASSWORD} characters`);
    if (!roles.length) return setProblem('Choose at least one role');
    setProblem(null);
    create.mutate();
  };
  const privileged = roles.filter((r) => PRIVILEGED.includes(r));
  return (
    <section aria-labelledby="create-staff-title">
      <h2 id="create-staff-title">Add a staff member</h2>
      <form onSubmit={submit} className="grid" aria-labelledby="create-staff-title">
        <TextInput label="Email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextInput
          label="Temporary password"
          description={`At least ${MIN_PASSWORD} characters`}
          inputWrapperOrder={['label', 'input', 'description']}
          type="text"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <fieldset>
          <legend>Roles</legend>
          {ROLES.map((r) => (
            <label key={r} className="check">
              <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />
              {r}
            </label>
          ))}
        </fieldset>
        {privileged.length ? <p className="muted">Granting {privileged.join(' and ')} needs a second admin: this makes a proposal.</p> : null}
        {problem || create.isError ? (
          <p role="alert" className="error">
            {problem ?? errorText(create.error)}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" disabled={create.isPending}>
            {privileged.length ? 'Propose staff member' : 'Create staff member'}
          </Button>
        </div>
      </form>
      {outcome ? (
        <p role="status" className="notice">
          {outcome.text} {outcome.kind === 'proposed' ? <Link to="/payouts">Open pending changes</Link> : null}
        </p>
      ) : null}
    </section>
  );
}

/** One's own second factor: a new secret as a QR code (and as text), confirmed with a current code. */
export function SecondFactor({ onEnrolled }: { onEnrolled?: () => void }) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const start = useMutation({
    mutationFn: () => api.post<TotpEnrolment>('/backoffice/auth/totp/enrol'),
    onSuccess: (e) => {
      setEnrolment(e);
      setCode('');
    },
  });
  const confirm = useMutation({
    mutationFn: () => api.post('/backoffice/auth/totp/confirm', { body: { code: code.trim() } }),
    onSuccess: () => {
      setDone(true);
      setEnrolment(null);
      onEnrolled?.();
    },
  });
  const alreadyOn = start.error instanceof ApiError && start.error.details.some((d) => d.field === 'totp');
  return (
    <section aria-labelledby="totp-title">
      <h2 id="totp-title">Your second factor</h2>
      {done || alreadyOn ? (
        <p role="status" className="notice">
          {done
            ? 'Second factor on: signing in asks for a code from your authenticator app from now on. Your other sessions have ended.'
            : 'Your second factor is already on.'}
        </p>
      ) : !enrolment ? (
        <>
          <p>An authenticator app (any TOTP app) gives a 6-digit code that signing in asks for after the password.</p>
          {start.isError ? (
            <p role="alert" className="error">
              {errorText(start.error)}
            </p>
          ) : null}
          <Button variant="default" disabled={start.isPending} onClick={() => start.mutate()}>
            Set up authenticator
          </Button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            confirm.mutate();
          }}
        >
          <p>Scan the code with the authenticator app, or type the secret key into it; then enter the code it shows.</p>
          <QrCode text={enrolment.otpauthUrl} label="QR code of the authenticator link" />
          <dl className="summary">
            <dt>Secret key</dt>
            <dd>
              <code data-testid="totp-secret">{enrolment.secret}</code>
            </dd>
            <dt>Authenticator link</dt>
            <dd>
              <code data-testid="totp-uri">{enrolment.otpauthUrl}</code>
            </dd>
          </dl>
          <Field label="Authenticator code">
            {(id) => (
              <input
                id={id}
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="\d{6}"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            )}
          </Field>
          {confirm.isError ? (
            <p role="alert" className="error">
              {errorText(confirm.error)}
            </p>
          ) : null}
          <div className="actions">
            <Button type="submit" disabled={confirm.isPending || !/^\d{6}$/.test(code.trim())}>
              Confirm code
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

/**
 * A QR code drawn as SVG squares from uqr's module matrix (no canvas, no inline HTML). The quiet zone
 * of four modules keeps phone cameras reading it.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { data } = encode(text, { ecc: 'M', border: 4 });
  const size = data.length;
  const path = data.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : ''))).join('');
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} width={size * 5} height={size * 5} shapeRendering="crispEdges" data-modules={size}>
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
