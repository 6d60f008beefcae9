import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { defaultQueuePrefix } from '../queues/queue-prefix';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/** The environment payhub reads. Validated once at boot; nothing else reads `process.env`. */
class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsInt() @Min(0) @Max(65535)
  SANDBOX_PORT: number = 4000;

  @Matches(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, { message: 'must look like mysql://user:pass@host:port/database' })
  DATABASE_URL: string = 'mysql://root@127.0.0.1:3306/payhub';

  @Matches(/^rediss?:\/\/.+/, { message: 'must look like redis://host:port' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @IsOptional() @IsString() @MinLength(24)
  PAYHUB_DEMO_API_KEY?: string;

  @IsOptional() @IsString() @MinLength(10)
  PAYHUB_DEMO_PASSWORD?: string;

  @IsOptional() @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'must be 32 bytes as 64 hex characters or base64' })
  PAYHUB_SECRET_KEY?: string;

  /** Earlier keys, comma-separated, still accepted for decryption while secrets are re-sealed. */
  @IsOptional() @IsString()
  PAYHUB_PREVIOUS_SECRET_KEYS?: string;

  /** Where payhub is reachable by providers (callback URLs). Defaults to http://127.0.0.1:PORT. */
  @IsOptional() @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL?: string;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  /** Key prefix for Bull queues in Redis; by default derived from the database (`payhub:<database>`). */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9:_{}-]+$/)
  QUEUE_PREFIX?: string;

  @IsInt() @Min(100) @Max(120000)
  PROVIDER_TIMEOUT_MS: number = 15000;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  sandboxPort: number;
  databaseUrl: string;
  database: { host: string; port: number; user: string; password: string; name: string };
  redisUrl: string;
  demoApiKey?: string;
  demoPassword?: string;
  secretKey: string;
  previousSecretKeys: string[];
  /** true when the secret key was generated for this machine rather than given. */
  secretKeyGenerated: boolean;
  publicUrl: string;
  logLevel: string;
  queuePrefix: string;
  providerTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const NUMERIC = ['PORT', 'SANDBOX_PORT', 'PROVIDER_TIMEOUT_MS'];
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
  if (problems.length) throw new ConfigError(problems);

  const url = new URL(env.DATABASE_URL);
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
    databaseUrl: env.DATABASE_URL,
    database: {
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      name: url.pathname.slice(1),
    },
    redisUrl: env.REDIS_URL,
    demoApiKey: env.PAYHUB_DEMO_API_KEY,
    demoPassword: env.PAYHUB_DEMO_PASSWORD,
    secretKey,
    previousSecretKeys: (env.PAYHUB_PREVIOUS_SECRET_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    secretKeyGenerated,
    publicUrl: (env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    queuePrefix: env.QUEUE_PREFIX ?? defaultQueuePrefix(url.pathname.slice(1)),
    providerTimeoutMs: env.PROVIDER_TIMEOUT_MS,
  });
}

/** Outside production a key is generated once per checkout and kept in .payhub/ (git-ignored). */
function readOrCreateLocalSecret(): string {
  if (existsSync(LOCAL_SECRET_FILE)) return readFileSync(LOCAL_SECRET_FILE, 'utf8').trim();
  const key = randomBytes(32).toString('hex');
  mkdirSync(dirname(LOCAL_SECRET_FILE), { recursive: true });
  writeFileSync(LOCAL_SECRET_FILE, key, { mode: 0o600 });
  return key;
}
