import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useAuth } from '../auth';
import { SecondFactor } from './Staff';
import { errorText } from '../ui';

export function Login() {
  const { signIn, endedMessage } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password, needsCode ? code : undefined);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') {
        setNeedsCode(true);
        setError(needsCode ? 'That code was not accepted. Enter the current code from your authenticator app.' : null);
      } else {
        setError(err instanceof ApiError && err.code === 'INVALID_CREDENTIALS' ? 'Email or password is wrong.' : errorText(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>payhub console</h1>
      {endedMessage ? (
        <p role="status" className="notice">
          {endedMessage}
        </p>
      ) : null}
      <form onSubmit={submit} aria-label="Sign in">
        <label htmlFor="email">Email</label>
        <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {needsCode ? (
          <>
            <label htmlFor="totp">Authentication code</label>
            <input
              id="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              required
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <small>The 6-digit code from your authenticator app.</small>
          </>
        ) : null}
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

export function EnrolmentRequired() {
  const { signOut, enrolled } = useAuth();
  return (
    <main className="login">
      <h1>Second factor required</h1>
      <p role="alert">Your role needs a second factor before the console opens. Set up an authenticator app here.</p>
      <SecondFactor onEnrolled={() => void enrolled()} />
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
    </main>
  );
}
