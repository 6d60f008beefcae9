import { useQuery } from '@tanstack/react-query';
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
                <table aria-label="Volume by provider and status">
                  <thead>
                    <tr>
                      <th scope="col">Provider</th>
                      <th scope="col">Status</th>
                      <th scope="col">Count</th>
                      <th scope="col">Volume</th>
                      <th scope="col">
                        <span className="sr-only">Share</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.volume.map((v) => (
                      <tr key={`${v.provider}-${v.status}-${v.currency}`}>
                        <td>{v.provider ?? '(not routed)'}</td>
                        <td>{v.status}</td>
                        <td>
                          <Link to={list({ provider: v.provider, status: v.status, currency: v.currency, createdFrom: d.since })}>{v.count}</Link>
                        </td>
                        <td className="num">{formatMoney(v.amount, v.currency)}</td>
                        <td aria-hidden="true" className="share">
                          <span className="bar" style={{ width: `${(v.count / maxCount) * 100}%` }} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h2>Success rate by provider and method (finished transactions)</h2>
              {d.successRates.length === 0 ? (
                <p className="empty">Nothing finished in the last 24 hours.</p>
              ) : (
                <table aria-label="Success rate by provider and method">
                  <thead>
                    <tr>
                      <th scope="col">Provider</th>
                      <th scope="col">Method</th>
                      <th scope="col">Successful / finished</th>
                      <th scope="col">Rate</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.successRates.map((r) => (
                      <tr key={`${r.provider}-${r.txType}`}>
                        <td>{r.provider ?? '(not routed)'}</td>
                        <td>
                          <Link to={list({ provider: r.provider, txType: r.txType, createdFrom: d.since })}>{r.txType}</Link>
                        </td>
                        <td className="num">
                          {r.successful} / {r.finished}
                        </td>
                        <td>
                          {r.rate === null ? (
                            '—'
                          ) : (
                            <span className="meter">
                              <span className="bar" style={{ width: `${r.rate * 100}%` }} aria-hidden="true" /> {(r.rate * 100).toFixed(1)} %
                            </span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
