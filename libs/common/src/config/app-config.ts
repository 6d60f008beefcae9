import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { plainToInstance } from 'class-transformer';
import { queuePrefixFor } from '../queues/queue-prefix';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const IPV4_OR_CIDR = String.raw`\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?`;
const IPV6_OR_CIDR = String.raw`[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(\/\d{1,3})?`;
const TRUST_PROXY_PATTERN = new RegExp(String.raw`^\s*(${IPV4_OR_CIDR}|${IPV6_OR_CIDR})(\s*,\s*(${IPV4_OR_CIDR}|${IPV6_OR_CIDR}))*\s*$`);

/** The environment payhub reads. Validated once at boot; nothing else reads `process.env`. */
class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsInt()
  @Min(0)
  @Max(65535)
  SANDBOX_PORT: number = 4000;

  /** The address api and sandbox bind (and print). 0.0.0.0 or :: opens them to the network. */
  @Matches(/^([A-Za-z0-9.-]+|[0-9A-Fa-f:]+)$/, { message: 'must be an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0' })
  HOST: string = '127.0.0.1';

  @Matches(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, { message: 'must look like mysql://user:pass@host:port/database' })
  DATABASE_URL: string = 'mysql://root@127.0.0.1:3306/payhub';

  @Matches(/^rediss?:\/\/.+/, { message: 'must look like redis://host:port' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Read replicas for back-office reads and reports, comma-separated mysql:// URLs. Unset: the primary. */
  @IsOptional()
  @Matches(/^\s*mysql:\/\/[^/,\s]+\/[A-Za-z0-9_]+(\s*,\s*mysql:\/\/[^/,\s]+\/[A-Za-z0-9_]+)*\s*$/, {
    message: 'must be comma-separated mysql://user:pass@host:port/database URLs',
  })
  DATABASE_REPLICA_URLS?: string;

  /** Redis Sentinel: comma-separated host:port of the sentinels; REDIS_SENTINEL_NAME names the master. */
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9.-]+:\d+(\s*,\s*[A-Za-z0-9.-]+:\d+)*\s*$/, { message: 'must be comma-separated host:port' })
  REDIS_SENTINELS?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]+$/)
  REDIS_SENTINEL_NAME?: string;

  /** Redis Cluster: comma-separated host:port of some of its nodes. Queue keys are then hash-tagged. */
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9.-]+:\d+(\s*,\s*[A-Za-z0-9.-]+:\d+)*\s*$/, { message: 'must be comma-separated host:port' })
  REDIS_CLUSTER_NODES?: string;

  @IsOptional()
  @Matches(/^phk_[A-Za-z0-9_-]{20,124}$/, { message: 'must be phk_ followed by 20-124 letters, digits, _ or -' })
  PAYHUB_DEMO_API_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(10)
  PAYHUB_DEMO_PASSWORD?: string;

  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'must be 32 bytes as 64 hex characters or base64' })
  PAYHUB_SECRET_KEY?: string;

  /** Earlier keys, comma-separated, still accepted for decryption while secrets are re-sealed. */
  @IsOptional()
  @IsString()
  PAYHUB_PREVIOUS_SECRET_KEYS?: string;

  /** Where payhub is reachable by providers (callback URLs). Defaults to http://HOST:PORT (127.0.0.1 for 0.0.0.0). */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** Where payhub reaches the provider sandbox (demo provider configs). Defaults to http://HOST:SANDBOX_PORT. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  SANDBOX_URL?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  /** Key prefix for Bull queues in Redis; by default derived from the database (`payhub:<database>`). */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9:_{}-]+$/)
  QUEUE_PREFIX?: string;

  @IsInt()
  @Min(100)
  @Max(120000)
  PROVIDER_TIMEOUT_MS: number = 15000;

  /** Proxies whose X-Forwarded-For is believed: comma-separated addresses or CIDRs. Unset: none. */
  @IsOptional()
  @Matches(TRUST_PROXY_PATTERN, { message: 'must be comma-separated IP addresses or CIDRs, e.g. 10.0.0.1,10.1.0.0/16' })
  TRUST_PROXY?: string;

  /** Roles that must log in with a TOTP code, e.g. admin,approver. Unset: TOTP stays optional. */
  @IsOptional()
  @Matches(/^\s*(viewer|operator|approver|admin)(\s*,\s*(viewer|operator|approver|admin))*\s*$/, {
    message: 'must be comma-separated roles of viewer, operator, approver, admin',
  })
  PAYHUB_STAFF_2FA_ROLES?: string;

  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  STAFF_SESSION_IDLE_SECONDS: number = 30 * 60;

  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  STAFF_SESSION_ABSOLUTE_SECONDS: number = 8 * 3600;

  /** Requests per second per merchant API key on /v1; 0 turns the limit off. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_API_KEY_PER_S: number = 1000;

  /** Login attempts per minute per client address, and per account; 0 turns the limit off. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_LOGIN_PER_MIN: number = 30;

  /** Provider callbacks per second per client address, and per provider; 0 turns the limit off. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_CALLBACKS_PER_S: number = 500;

  /**
   * Notifications that only prompt a status check (Kasha's) cause one check per transaction per this window;
   * the ones it holds back get one more check at its end.
   */
  @IsInt()
  @Min(1000)
  @Max(300_000)
  CALLBACK_STATUS_CHECK_WINDOW_MS: number = 10_000;

  /** Whether merchant webhook URLs may point at loopback. Default: yes outside production. */
  @IsOptional()
  @IsIn(['true', 'false'])
  OUTBOUND_ALLOW_LOOPBACK?: 'true' | 'false';

  /** The worker's Prometheus endpoint (`/metrics`); 0 picks a free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT: number = 9464;

  /** `false` turns metrics off entirely (no /metrics, no counting): the benchmark's yardstick. */
  @IsIn(['true', 'false'])
  METRICS_ENABLED: string = 'true';

  /** Set: OpenTelemetry traces are exported there over OTLP/HTTP. Unset: no tracing code is loaded. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  sandboxPort: number;
  /** Bind address of api and sandbox. */
  host: string;
  /** Where a local client reaches them: `host`, or 127.0.0.1 when bound to every interface. */
  localHost: string;
  databaseUrl: string;
  database: { host: string; port: number; user: string; password: string; name: string };
  /** Back-office read replicas; empty: those reads go to the primary. */
  databaseReplicas: Array<{ host: string; port: number; user: string; password: string; name: string }>;
  redisUrl: string;
  /** How to reach Redis: one server (`redisUrl`), Sentinel, or Cluster. */
  redis: RedisTopology;
  demoApiKey?: string;
  demoPassword?: string;
  secretKey: string;
  previousSecretKeys: string[];
  /** true when the secret key was generated for this machine rather than given. */
  secretKeyGenerated: boolean;
  publicUrl: string;
  /** Where payhub reaches the provider sandbox. */
  sandboxUrl: string;
  logLevel: string;
  queuePrefix: string;
  providerTimeoutMs: number;
  /** Addresses or CIDRs of trusted proxies; empty: the socket address is the client. */
  trustProxy: string[];
  staffTwoFactorRoles: string[];
  staffSession: { idleSeconds: number; absoluteSeconds: number };
  /** Per-window ceilings; 0 means no limit. */
  rateLimits: { apiKeyPerSecond: number; loginPerMinute: number; callbacksPerSecond: number };
  /** One status check per transaction per window for untrusted callbacks; the held-back ones get a trailing check. */
  callbacks: { statusCheckWindowMs: number };
  outbound: { allowLoopback: boolean; requireHttps: boolean };
  workerMetricsPort: number;
  metricsEnabled: boolean;
  otlpEndpoint: string | null;
}

export type RedisTopology =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: Array<{ host: string; port: number }>; name: string; url: string }
  | { mode: 'cluster'; nodes: Array<{ host: string; port: number }>; url: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const NUMERIC = [
  'PORT',
  'SANDBOX_PORT',
  'PROVIDER_TIMEOUT_MS',
  'STAFF_SESSION_IDLE_SECONDS',
  'STAFF_SESSION_ABSOLUTE_SECONDS',
  'RATE_LIMIT_API_KEY_PER_S',
  'RATE_LIMIT_LOGIN_PER_MIN',
  'RATE_LIMIT_CALLBACKS_PER_S',
  'CALLBACK_STATUS_CHECK_WINDOW_MS',
  'WORKER_METRICS_PORT',
];
const LOCAL_SECRET_FILE = resolve(process.cwd(), '.payhub', 'secret.key');

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || value === '') continue;
    raw[key] = NUMERIC.includes(key) && /^\d+$/.test(value) ? Number(value) : value;
  }
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  const problems = errors.map((e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  if (env.NODE_ENV === 'production' && !env.PAYHUB_SECRET_KEY) {
    problems.push('PAYHUB_SECRET_KEY is required when NODE_ENV=production (it encrypts provider secrets)');
  }
  for (const entry of list(env.TRUST_PROXY)) {
    const [address, bits] = entry.split('/');
    const family = isIP(address);
    if (!family || (bits !== undefined && Number(bits) > (family === 4 ? 32 : 128))) problems.push(`TRUST_PROXY: ${entry} is not an IP address or CIDR`);
  }
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS (the name of the monitored master)');
  if (env.REDIS_SENTINELS && env.REDIS_CLUSTER_NODES) problems.push('REDIS_SENTINELS and REDIS_CLUSTER_NODES exclude each other');
  if (problems.length) throw new ConfigError(problems);

  const localHost = ['0.0.0.0', '::'].includes(env.HOST) ? '127.0.0.1' : env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  let secretKey = env.PAYHUB_SECRET_KEY;
  let secretKeyGenerated = false;
  if (!secretKey) {
    secretKey = readOrCreateLocalSecret();
    secretKeyGenerated = true;
  }
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    sandboxPort: env.SANDBOX_PORT,
    host: env.HOST,
    localHost,
    databaseUrl: env.DATABASE_URL,
    database: databaseOf(env.DATABASE_URL),
    databaseReplicas: list(env.DATABASE_REPLICA_URLS).map(databaseOf),
    redisUrl: env.REDIS_URL,
    redis: redisTopology(env),
    demoApiKey: env.PAYHUB_DEMO_API_KEY,
    demoPassword: env.PAYHUB_DEMO_PASSWORD,
    secretKey,
    previousSecretKeys: (env.PAYHUB_PREVIOUS_SECRET_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    secretKeyGenerated,
    publicUrl: (env.PUBLIC_URL ?? `http://${localHost}:${env.PORT}`).replace(/\/$/, ''),
    sandboxUrl: (env.SANDBOX_URL ?? `http://${localHost}:${env.SANDBOX_PORT}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    queuePrefix: queuePrefixFor(databaseOf(env.DATABASE_URL).name, env.QUEUE_PREFIX, Boolean(env.REDIS_CLUSTER_NODES)),
    providerTimeoutMs: env.PROVIDER_TIMEOUT_MS,
    trustProxy: list(env.TRUST_PROXY),
    staffTwoFactorRoles: list(env.PAYHUB_STAFF_2FA_ROLES),
    staffSession: { idleSeconds: env.STAFF_SESSION_IDLE_SECONDS, absoluteSeconds: env.STAFF_SESSION_ABSOLUTE_SECONDS },
    rateLimits: {
      apiKeyPerSecond: env.RATE_LIMIT_API_KEY_PER_S,
      loginPerMinute: env.RATE_LIMIT_LOGIN_PER_MIN,
      callbacksPerSecond: env.RATE_LIMIT_CALLBACKS_PER_S,
    },
    callbacks: { statusCheckWindowMs: env.CALLBACK_STATUS_CHECK_WINDOW_MS },
    outbound: {
      allowLoopback: env.OUTBOUND_ALLOW_LOOPBACK ? env.OUTBOUND_ALLOW_LOOPBACK === 'true' : env.NODE_ENV !== 'production',
      requireHttps: env.NODE_ENV === 'production',
    },
    workerMetricsPort: env.WORKER_METRICS_PORT,
    metricsEnabled: env.METRICS_ENABLED === 'true',
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, '') ?? null,
  });
}

function databaseOf(value: string): AppConfig['database'] {
  const url = new URL(value);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    name: url.pathname.slice(1),
  };
}

function redisTopology(env: EnvironmentVariables): RedisTopology {
  if (env.REDIS_CLUSTER_NODES) return { mode: 'cluster', nodes: list(env.REDIS_CLUSTER_NODES).map(hostPort), url: env.REDIS_URL };
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME)
    return { mode: 'sentinel', sentinels: list(env.REDIS_SENTINELS).map(hostPort), name: env.REDIS_SENTINEL_NAME, url: env.REDIS_URL };
  return { mode: 'single', url: env.REDIS_URL };
}

function hostPort(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Outside production a key is generated once per checkout and kept in .payhub/ (git-ignored). */
function readOrCreateLocalSecret(): string {
  if (existsSync(LOCAL_SECRET_FILE)) return readFileSync(LOCAL_SECRET_FILE, 'utf8').trim();
  const key = randomBytes(32).toString('hex');
  mkdirSync(dirname(LOCAL_SECRET_FILE), { recursive: true });
  writeFileSync(LOCAL_SECRET_FILE, key, { mode: 0o600 });
  return key;
}
