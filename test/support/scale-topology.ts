import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort } from './free-port';
import { waitFor } from './webhook-endpoint';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** A process the scale test started, stopped (and waited for) in its cleanup. */
class Daemon {
  output = '';
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    const late = setTimeout(() => this.child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(late);
  }
}

function start(name: string, command: string, args: string[], env: Record<string, string> = {}): Daemon {
  return new Daemon(name, spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Everything the scale test starts lives under one temporary directory and in `daemons`. */
export class Topology {
  readonly dir = mkdtempSync(join(tmpdir(), 'payhub-scale-'));
  readonly daemons: Daemon[] = [];

  add(daemon: Daemon): Daemon {
    this.daemons.push(daemon);
    return daemon;
  }

  /** Three redis-server in cluster mode, every slot assigned, no replicas. Answers host:port of each. */
  async redisCluster(): Promise<string[]> {
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) {
      const dir = join(this.dir, `redis-${port}`);
      rmSync(dir, { recursive: true, force: true });
      await run('mkdir', ['-p', dir]);
      this.add(
        start(`redis ${port}`, 'redis-server', [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, 'nodes.conf'),
          '--cluster-node-timeout',
          '2000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--protected-mode',
          'no',
        ]),
      );
    }
    for (const port of ports)
      await waitFor(
        async () => (await run('redis-cli', ['-p', String(port), 'ping']).catch(() => ({ stdout: '' }))).stdout.trim() === 'PONG',
        15000,
        `redis ${port}`,
      );
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      await waitFor(
        async () => (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout.includes('cluster_state:ok'),
        20000,
        `cluster state ok on ${port}`,
      );
    }
    return nodes;
  }

  /** One redis-server watched by one Sentinel (quorum 1) under the name `payhub`. Answers the Sentinel's and the master's host:port. */
  async redisSentinel(): Promise<{ sentinel: string; master: string }> {
    const [masterPort, sentinelPort] = [await freePort(), await freePort()];
    this.add(
      start(`redis ${masterPort}`, 'redis-server', [
        '--port',
        String(masterPort),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ]),
    );
    const config = join(this.dir, 'sentinel.conf');
    writeFileSync(config, [`port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${this.dir}`, `sentinel monitor payhub 127.0.0.1 ${masterPort} 1`, ''].join('\n'));
    this.add(start(`redis sentinel ${sentinelPort}`, 'redis-server', [config, '--sentinel']));
    await waitFor(
      async () =>
        (await run('redis-cli', ['-p', String(sentinelPort), 'sentinel', 'get-master-addr-by-name', 'payhub']).catch(() => ({ stdout: '' }))).stdout.includes(
          String(masterPort),
        ),
      15000,
      'the sentinel to know its master',
    );
    return { sentinel: `127.0.0.1:${sentinelPort}`, master: `127.0.0.1:${masterPort}` };
  }

  /** Every key held by the cluster's masters (a test cluster holds a few hundred). */
  async redisKeys(nodes: string[]): Promise<string[]> {
    const keys: string[] = [];
    for (const node of nodes) {
      const { stdout } = await run('redis-cli', ['-p', node.split(':')[1], '--scan']);
      keys.push(...stdout.split('\n').filter(Boolean));
    }
    return keys;
  }

  /**
   * A MariaDB primary with a binary log and a replica replicating from it (GTID), each its own mariadbd
   * on a free port and data directory. Grant checks are off: both listen on 127.0.0.1 only and live for one test.
   */
  async mariadbPair(database: string): Promise<{ primaryUrl: string; replicaUrl: string; primaryPort: number; replicaPort: number }> {
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    // One after the other: two bootstraps at once collide on their temporary tables.
    await this.mariadb('primary', primaryPort, 1);
    await this.mariadb('replica', replicaPort, 2);
    const replica = await createConnection({ host: '127.0.0.1', port: replicaPort, user: 'root' });
    await replica.query(`CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${primaryPort}, MASTER_USER = 'root', MASTER_USE_GTID = slave_pos`);
    await replica.query('START SLAVE');
    await replica.end();
    const primary = await createConnection({ host: '127.0.0.1', port: primaryPort, user: 'root' });
    await primary.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await primary.end();
    return {
      primaryUrl: `mysql://root@127.0.0.1:${primaryPort}/${database}`,
      replicaUrl: `mysql://root@127.0.0.1:${replicaPort}/${database}`,
      primaryPort,
      replicaPort,
    };
  }

  private async mariadb(name: string, port: number, serverId: number): Promise<void> {
    const datadir = join(this.dir, `mariadb-${name}`);
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--user=root', '--skip-test-db', '--auth-root-authentication-method=normal']);
    this.add(
      start(`mariadb ${name}`, 'mariadbd', [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--port=${port}`,
        `--socket=${join(this.dir, `${name}.sock`)}`,
        '--bind-address=127.0.0.1',
        '--skip-grant-tables',
        '--user=root',
        `--server-id=${serverId}`,
        `--log-bin=${join(datadir, 'binlog')}`,
        '--binlog-format=ROW',
        '--innodb-buffer-pool-size=64M',
        '--innodb-flush-log-at-trx-commit=2',
        '--sync-binlog=0',
        `--pid-file=${join(this.dir, `${name}.pid`)}`,
      ]),
    );
    await waitFor(
      async () => {
        const connection = await createConnection({ host: '127.0.0.1', port, user: 'root' }).catch(() => null);
        await connection?.end();
        return connection !== null;
      },
      30000,
      `mariadb ${name} on ${port}`,
    );
  }

  /** HAProxy in front of the given backends, round robin, answering on a free port. */
  async haproxy(backends: string[], port: number): Promise<string> {
    if (!(await run('sh', ['-c', 'command -v haproxy']).catch(() => null)))
      throw new Error('haproxy is not installed: apt-get install haproxy (.ci/run installs it when missing)');
    const config = join(this.dir, 'haproxy.cfg');
    writeFileSync(
      config,
      [
        'global',
        '  maxconn 1024',
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 30s',
        '  timeout server 30s',
        '  option http-server-close',
        'frontend payhub',
        `  bind 127.0.0.1:${port}`,
        '  default_backend apis',
        'backend apis',
        '  balance roundrobin',
        ...backends.map((b, i) => `  server api${i + 1} ${b} check inter 500ms`),
        '',
      ].join('\n'),
    );
    const proxy = this.add(start('haproxy', 'haproxy', ['-db', '-f', config]));
    await waitFor(
      async () => {
        if (!proxy.running) throw new Error(`haproxy exited: ${proxy.output}`);
        return (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.status === 200;
      },
      20000,
      'haproxy to answer',
    );
    return `http://127.0.0.1:${port}`;
  }

  /** The api or the worker as an OS process (TypeScript transpiled on load), waiting for its ready line. */
  async app(name: string, main: 'api' | 'worker', env: Record<string, string>): Promise<Daemon> {
    const daemon = this.add(
      start(name, process.execPath, ['-r', join(ROOT, 'scripts/bench-register.js'), join(ROOT, `apps/${main}/src/main.ts`)], { NODE_ENV: 'test', ...env }),
    );
    const ready = main === 'api' ? 'payhub api listening' : 'payhub worker running';
    await waitFor(
      async () => {
        if (!daemon.running) throw new Error(`${name} exited: ${daemon.output.slice(-3000)}`);
        return daemon.output.includes(ready);
      },
      90000,
      `${name} to start`,
    );
    return daemon;
  }

  async close(): Promise<void> {
    // Apps first (they hold connections to the rest), then the load balancer, Redis and MariaDB.
    await Promise.all(this.daemons.filter((d) => !d.name.startsWith('mariadb') && !d.name.startsWith('redis')).map((d) => d.stop()));
    await Promise.all(this.daemons.filter((d) => d.name.startsWith('redis') || d.name.startsWith('mariadb')).map((d) => d.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** JSON log lines of a process's output. */
export function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}
