import { AppShell, Button, Group, NavLink, Text } from '@mantine/core';
import { Link, matchPath, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { StaffRole } from '../../../libs/backoffice/src/staff/staff-role';
import { useAuth } from './auth';
import { AuditLog } from './pages/AuditLog';
import { Dashboard } from './pages/Dashboard';
import { EnrolmentRequired, Login } from './pages/Login';
import { MerchantDetailPage, Merchants } from './pages/Merchants';
import { MerchantWebhookEvents } from './pages/MerchantWebhookEvents';
import { Payouts } from './pages/Payouts';
import { Routing } from './pages/Routing';
import { Queues } from './pages/Queues';
import { Reconciliation } from './pages/Reconciliation';
import { Staff } from './pages/Staff';
import { Providers } from './pages/Providers';
import { TransactionDetailPage } from './pages/TransactionDetail';
import { Transactions } from './pages/Transactions';
import { Webhooks } from './pages/Webhooks';

/**
 * The navigation: one entry per screen. Part 2 adds its screens (Merchants, Providers, Routing, Staff,
 * Reconciliation, Queues) here and in the routes below.
 */
export const NAVIGATION: Array<{ to: string; label: string; end?: boolean; /** shown only to this role and above */ role?: StaffRole }> = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/transactions', label: 'Transactions' },
  { to: '/payouts', label: 'Payouts' },
  { to: '/webhooks', label: 'Webhooks' },
  { to: '/audit-log', label: 'Audit log' },
  { to: '/merchants', label: 'Merchants' },
  { to: '/routing', label: 'Routing', role: 'admin' },
  { to: '/staff', label: 'Staff' },
  { to: '/reconciliation', label: 'Reconciliation' },
  { to: '/queues', label: 'Queues', role: 'admin' },
  { to: '/providers', label: 'Providers' },
];

export function App() {
  const { me, enrolmentRequired, signOut, can } = useAuth();
  const { pathname, search } = useLocation();
  if (enrolmentRequired) return <EnrolmentRequired />;
  if (!me) return <Login />;
  // The navigation comes first in the document (after the skip link), so Tab reaches it before the header.
  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 190, breakpoint: 0 }} padding="md" className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <AppShell.Navbar aria-label="Main" p="xs">
        {NAVIGATION.filter((n) => !n.role || can(n.role)).map((n) => {
          const active = matchPath({ path: n.to, end: n.end ?? false }, pathname) !== null;
          return <NavLink key={n.to} component={Link} to={n.to} label={n.label} active={active} aria-current={active ? 'page' : undefined} />;
        })}
      </AppShell.Navbar>
      <AppShell.Header className="top">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Text fw={700} className="brand">
            payhub
          </Text>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" className="who">
              {me.email} · {me.roles.join(', ')}
            </Text>
            <Button variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      {/* data-location: the location this render shows (browser tests wait for it after a client-side navigation). */}
      <AppShell.Main id="main" tabIndex={-1} data-location={pathname + search}>
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/transactions" element={<Transactions />} />
          <Route path="/transactions/:id" element={<TransactionDetailPage />} />
          <Route path="/payouts" element={<Payouts />} />
          <Route path="/webhooks" element={<Webhooks />} />
          <Route path="/audit-log" element={<AuditLog />} />
          <Route path="/merchants" element={<Merchants />} />
          <Route path="/merchants/:id" element={<MerchantDetailPage />} />
          <Route path="/routing" element={<Routing />} />
          <Route path="/routing/:merchantId" element={<Routing />} />
          <Route path="/staff" element={<Staff />} />
          <Route path="/reconciliation" element={<Reconciliation />} />
          <Route path="/queues" element={<Queues />} />
          <Route path="/providers" element={<Providers />} />
          <Route path="/providers/:merchantId" element={<Providers />} />
          <Route path="/providers/:merchantId/:provider" element={<Providers />} />
          <Route path="/merchants/:id/webhook-events" element={<MerchantWebhookEvents />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
