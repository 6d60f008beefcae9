import { useQuery } from '@tanstack/react-query';
import { Table } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { Dashboard as DashboardData } from '../api/types';
import { formatMoney } from '../money';
import { QueryState } from '../ui';

function age(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} days`;
}

function list(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as Array<[string, string]>);
  return `/transactions?${q}`;
}

export function Dashboard() {
  const query = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => api.get<DashboardData>('/backoffice/dashboard'),
    refetchInterval: 30_000,
    staleTime: 0,
    refetchOnMount: 'always',
  });
  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard</h1>
      <QueryState query={query}>
        {(d) => {
          const maxCount = Math.max(1, ...d.volume.map((v) => v.count));
          return (
            <>
              <ul className="cards" aria-label="Needs attention">
                <li>
                  <Link to={list({ status: 'INCONSISTENT' })}>
                    <strong>{d.inconsistent}</strong> INCONSISTENT
                  </Link>
                </li>
                <li>
                  <Link to={list({ conflict: 'open' })}>
                    <strong>{d.conflicts}</strong> open conflicts
                  </Link>
                </li>
                <li>
                  <Link to="/payouts">
                    <strong>{d.waitingApproval}</strong> payouts waiting for approval
                  </Link>
                </li>
                <li>
                  <Link to="/webhooks">
                    <strong>{d.failedWebhooks}</strong> failed webhooks
                  </Link>
                </li>
                <li>
                  {d.oldestUnfinished ? (
                    <Link to={`/transactions/${d.oldestUnfinished.id}`}>
                      Oldest unfinished: <strong>{age(d.oldestUnfinished.ageSeconds)}</strong> ({d.oldestUnfinished.status})
                    </Link>
                  ) : (
                    <span>No unfinished transactions</span>
                  )}
                </li>
              </ul>
              <h2>Last 24 hours by provider and status</h2>
              {d.volume.length === 0 ? (
                <p className="empty">No transactions in the last 24 hours.</p>
              ) : (
                <Table aria-label="Volume by provider and status">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Provider</Table.Th>
                      <Table.Th scope="col">Status</Table.Th>
                      <Table.Th scope="col">Count</Table.Th>
                      <Table.Th scope="col">Volume</Table.Th>
                      <Table.Th scope="col">
                        <span className="sr-only">Share</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.volume.map((v) => (
                      <Table.Tr key={`${v.provider}-${v.status}-${v.currency}`}>
                        <Table.Td>{v.provider ?? '(not routed)'}</Table.Td>
                        <Table.Td>{v.status}</Table.Td>
                        <Table.Td>
                          <Link to={list({ provider: v.provider, status: v.status, currency: v.currency, createdFrom: d.since })}>{v.count}</Link>
                        </Table.Td>
                        <Table.Td className="num">{formatMoney(v.amount, v.currency)}</Table.Td>
                        <Table.Td aria-hidden="true" className="share">
                          <span className="bar" style={{ width: `${(v.count / maxCount) * 100}%` }} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <h2>Success rate by provider and method (finished transactions)</h2>
              {d.successRates.length === 0 ? (
                <p className="empty">Nothing finished in the last 24 hours.</p>
              ) : (
                <Table aria-label="Success rate by provider and method">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Provider</Table.Th>
                      <Table.Th scope="col">Method</Table.Th>
                      <Table.Th scope="col">Successful / finished</Table.Th>
                      <Table.Th scope="col">Rate</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.successRates.map((r) => (
                      <Table.Tr key={`${r.provider}-${r.txType}`}>
                        <Table.Td>{r.provider ?? '(not routed)'}</Table.Td>
                        <Table.Td>
                          <Link to={list({ provider: r.provider, txType: r.txType, createdFrom: d.since })}>{r.txType}</Link>
                        </Table.Td>
                        <Table.Td className="num">
                          {r.successful} / {r.finished}
                        </Table.Td>
                        <Table.Td>
                          {r.rate === null ? (
                            '—'
                          ) : (
                            <span className="meter">
                              <span className="bar" style={{ width: `${r.rate * 100}%` }} aria-hidden="true" /> {(r.rate * 100).toFixed(1)} %
                            </span>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
