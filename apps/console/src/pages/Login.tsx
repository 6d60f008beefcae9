import { useState, type FormEvent } from 'react';
import { Alert, Button, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
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
    <Paper component="main" className="login" withBorder shadow="sm" p="xl" radius="md">
      <Title order={1} size="h2" mb="md">
        payhub console
      </Title>
      {endedMessage ? (
        <Alert role="status" color="blue" variant="light" mb="md" className="notice">
          {endedMessage}
        </Alert>
      ) : null}
      <form onSubmit={submit} aria-label="Sign in">
        <Stack gap="xs">
          <TextInput
            id="email"
            label="Email"
            type="email"
            autoComplete="username"
            required
            withAsterisk={false}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <PasswordInput
            id="password"
            label="Password"
            autoComplete="current-password"
            required
            withAsterisk={false}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {needsCode ? (
            <TextInput
              id="totp"
              label="Authentication code"
              description="The 6-digit code from your authenticator app."
              inputWrapperOrder={['label', 'input', 'description']}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              required
              withAsterisk={false}
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          ) : null}
          {error ? (
            <Alert color="red" variant="light" className="error">
              {error}
            </Alert>
          ) : null}
          <Button type="submit" size="sm" mt="xs" disabled={busy}>
            Sign in
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

export function EnrolmentRequired() {
  const { signOut, enrolled } = useAuth();
  return (
    <Paper component="main" className="login" withBorder shadow="sm" p="xl" radius="md">
      <Title order={1} size="h2" mb="md">
        Second factor required
      </Title>
      <Alert color="yellow" variant="light" mb="md">
        Your role needs a second factor before the console opens. Set up an authenticator app here.
      </Alert>
      <SecondFactor onEnrolled={() => void enrolled()} />
      <Button variant="default" mt="md" onClick={() => void signOut()}>
        Sign out
      </Button>
    </Paper>
  );
}
