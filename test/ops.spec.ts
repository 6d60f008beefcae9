import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsService } from '@payhub/common';

const OPS = join(__dirname, '..', 'ops');
const RULES = join(OPS, 'prometheus', 'payhub-alerts.yml');
const RULE_TESTS = join(OPS, 'prometheus', 'payhub-alerts.test.yml');
const DASHBOARD = join(OPS, 'grafana', 'payhub-dashboard.json');

/** Names of every metric an api or worker process can export (gauges included, as the lease holder has them). */
async function exportedNames(): Promise<Set<string>> {
  const metrics = new MetricsService(true);
  metrics.exportGauges(true);
  return new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
}

/** Metric names an expression mentions, histograms by their base name. */
function mentioned(text: string): Set<string> {
  return new Set([...text.matchAll(/\b(?:payhub|process|nodejs)_[a-z0-9_]+\b/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, '')));
}

interface Panel {
  title: string;
  type: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: Panel[] };
  expect(dashboard.uid).toBe('payhub-overview');
  return dashboard.panels
    .flatMap((p) => [p, ...(p.panels ?? [])])
    .filter((p) => p.type !== 'row')
    .flatMap((p) => {
      expect(p.targets?.length).toBeGreaterThan(0);
      return p.targets!.map((t) => t.expr);
    });
}

function promtool(args: string[]): { available: boolean; status: number | null; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return { available: false, status: null, output: '' };
  return { available: true, status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('ops/: the Grafana dashboard and the Prometheus alert rules', () => {
  it('exports every metric name the operations contract fixes', async () => {
    const names = await exportedNames();
    for (const name of [
      'payhub_http_requests_total',
      'payhub_http_request_duration_seconds',
      'payhub_provider_requests_total',
      'payhub_provider_request_duration_seconds',
      'payhub_transactions_total',
      'payhub_callbacks_total',
      'payhub_webhook_deliveries_total',
      'payhub_webhook_delivery_lag_seconds',
      'payhub_webhook_pending',
      'payhub_status_sync_due',
      'payhub_oldest_unfinished_transaction_age_seconds',
      'payhub_inconsistent_transactions',
      'payhub_conflicts_total',
      'payhub_queue_jobs',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect(names).toContain(name);
  });

  it('names only metrics payhub exports, in the dashboard and in the rules', async () => {
    const names = await exportedNames();
    const inDashboard = mentioned(dashboardExpressions().join('\n'));
    const inRules = mentioned(readFileSync(RULES, 'utf8'));
    expect(inDashboard.size).toBeGreaterThan(10);
    expect([...inDashboard].filter((n) => !names.has(n))).toEqual([]);
    expect([...inRules].filter((n) => !names.has(n))).toEqual([]);
  });

  it('holds the alerts operators expect', () => {
    const alerts = [...readFileSync(RULES, 'utf8').matchAll(/^\s*- alert: (\w+)$/gm)].map(([, name]) => name);
    expect(alerts).toEqual(
      expect.arrayContaining([
        'PayhubHigh5xxRate',
        'PayhubProviderErrorRate',
        'PayhubSuccessRateDrop',
        'PayhubWebhookLagHigh',
        'PayhubStatusSyncBacklog',
        'PayhubOldestUnfinishedTransaction',
        'PayhubWorkerHeartbeatMissing',
        'PayhubNewConflicts',
      ]),
    );
  });

  it('the rules pass `promtool check rules` and their unit tests (where promtool is installed)', () => {
    const check = promtool(['check', 'rules', RULES]);
    if (!check.available) {
      // .ci/run installs the OS prometheus package; a machine without it cannot run this part.
      console.warn('promtool is not installed: ops/prometheus rules were not checked by promtool');
      return;
    }
    expect(check.output).toContain('SUCCESS');
    expect(check.status).toBe(0);
    const unit = promtool(['test', 'rules', RULE_TESTS]);
    expect(unit.output).toContain('SUCCESS');
    expect(unit.status).toBe(0);
  });
});
