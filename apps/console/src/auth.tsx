import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { hasRole, type StaffRole } from '../../../libs/backoffice/src/staff/staff-role';
import { api, ApiError, onSessionEnded, setToken } from './api/client';
import type { LoginAnswer, Me } from './api/types';

interface AuthState {
  me: Me | null;
  /** Set when the server ended the session (or a sign-out happened): the login screen says why. */
  endedMessage: string | null;
  enrolmentRequired: boolean;
  signIn(email: string, password: string, totpCode?: string): Promise<void>;
  signOut(): Promise<void>;
  /** After a mandatory second factor was confirmed: the session is a full one now. */
  enrolled(): Promise<void>;
  can(role: StaffRole): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [me, setMe] = useState<Me | null>(null);
  const [endedMessage, setEndedMessage] = useState<string | null>(null);
  const [enrolmentRequired, setEnrolmentRequired] = useState(false);

  useEffect(
    () =>
      onSessionEnded(() => {
        setMe(null);
        queries.clear();
        setEndedMessage('Your session has ended (signed out elsewhere, idle too long, or your access changed). Sign in again.');
      }),
    [queries],
  );

  const signIn = useCallback(async (email: string, password: string, totpCode?: string) => {
    const answer = await api.post<LoginAnswer>('/backoffice/auth/login', { body: { email, password, ...(totpCode ? { totpCode } : {}) } });
    setToken(answer.accessToken);
    setEndedMessage(null);
    if (answer.totpEnrolmentRequired) {
      setEnrolmentRequired(true);
      return;
    }
    setEnrolmentRequired(false);
    setMe(await api.get<Me>('/backoffice/auth/me'));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.post('/backoffice/auth/logout');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
    setToken(null);
    setMe(null);
    setEnrolmentRequired(false);
    queries.clear();
    setEndedMessage('You have signed out.');
  }, [queries]);

  const enrolled = useCallback(async () => {
    setMe(await api.get<Me>('/backoffice/auth/me'));
    setEnrolmentRequired(false);
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      me,
      endedMessage,
      enrolmentRequired,
      signIn,
      signOut,
      enrolled,
      can: (role) => (me ? hasRole(me.roles, role) : false),
    }),
    [me, endedMessage, enrolmentRequired, signIn, signOut, enrolled],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
