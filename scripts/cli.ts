import 'reflect-metadata';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { AuditService, presentStaff, StaffService } from '@payhub/backoffice';
import { AppConfig, DomainError, randomToken, validateInput } from '@payhub/common';
import { describeConnectionError } from '@payhub/database';
import { MerchantsService, presentMerchant } from '@payhub/merchants';
import { CreateApiKeyDto, CreateMerchantDto, CreateStaffDto } from '../apps/api/src/backoffice/backoffice.dto';
import { createAdminContext } from './admin-context';
import { pendingMigrations } from './migrate';
import { preflight } from '../apps/shared/preflight';

const USAGE = `payhub admin CLI

  npm run cli -- merchant:list
  npm run cli -- merchant:create --name <name> [--webhook-url <url>]
  npm run cli -- api-key:create --merchant <mer_…> [--label <label>]
  npm run cli -- api-key:list --merchant <mer_…>
  npm run cli -- api-key:revoke --merchant <mer_…> --key <key_…>   (at once, in every running payhub process)
  npm run cli -- staff:list
  npm run cli -- staff:create --email <email> --roles admin,operator [--password <pw>]

Input is checked exactly as the back-office API checks it. Every action is in the audit log as
cli:<your OS user>. The CLI is server access: staff it creates need no second admin.
Secrets (API keys, webhook secrets, generated passwords) are printed once. The CLI never changes the
schema: on a database that is behind it stops and names \`npm run migration:run\`.`;

/** Who ran the CLI, as the audit log names it (the column holds 32 characters). */
const CLI_ACTOR = { id: `cli:${userInfo().username}`.slice(0, 32), email: null };

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      'webhook-url': { type: 'string' },
      merchant: { type: 'string' },
      label: { type: 'string' },
      key: { type: 'string' },
      email: { type: 'string' },
      roles: { type: 'string' },
      password: { type: 'string' },
    },
    strict: true,
  });
  if (!command || command === 'help' || command === '--help') return void console.log(USAGE);

  const config = await preflight('cli', { createDatabase: false });
  await assertSchemaCurrent(config);
  const app = await createAdminContext(config);
  const audit = app.get(AuditService);
  const record = (action: string, targetType: string, targetId: string, after: unknown, before?: unknown) =>
    audit.record({ actor: CLI_ACTOR, action, targetType, targetId, before, after });
  try {
    switch (command) {
      case 'merchant:list': {
        print(await listAll((cursor) => app.get(MerchantsService).list(100, cursor), presentMerchant));
        break;
      }
      case 'staff:list': {
        print((await app.get(StaffService).list()).map(presentStaff));
        break;
      }
      case 'merchant:create': {
        const dto = validateInput(CreateMerchantDto, defined({ name: values.name, webhookUrl: values['webhook-url'] }));
        const created = await app.get(MerchantsService).create({ name: dto.name, webhookUrl: dto.webhookUrl ?? null });
        await record('merchant.create', 'merchant', created.merchant.id, presentMerchant(created.merchant));
        print({ merchantId: created.merchant.id, name: created.merchant.name, apiKey: created.apiKey, webhookSecret: created.webhookSecret });
        break;
      }
      case 'api-key:create': {
        if (!values.merchant) throw new Error('--merchant is required');
        const dto = validateInput(CreateApiKeyDto, defined({ label: values.label }));
        const key = await app.get(MerchantsService).createApiKey(values.merchant, dto.label);
        await record('merchant.api_key.create', 'merchant', values.merchant, { apiKeyId: key.id, prefix: key.prefix });
        print(key);
        break;
      }
      case 'api-key:list': {
        if (!values.merchant) throw new Error('--merchant is required');
        const keys = await app.get(MerchantsService).listApiKeys(values.merchant);
        await record('merchant.api_key.list', 'merchant', values.merchant, { count: keys.length });
        print(keys);
        break;
      }
      case 'api-key:revoke': {
        if (!values.merchant || !values.key) throw new Error('--merchant and --key are required');
        const { before, after } = await app.get(MerchantsService).revokeApiKey(values.merchant, values.key);
        await record('merchant.api_key.revoke', 'merchant', values.merchant, after, before);
        print(after);
        break;
      }
      case 'staff:create': {
        const password = values.password ?? randomToken(12);
        const roles = values.roles?.split(',').map((r) => r.trim());
        const dto = validateInput(CreateStaffDto, defined({ email: values.email, password, roles }));
        const created = presentStaff(await app.get(StaffService).create(dto));
        await record('staff.create', 'staff', created.id, created);
        print({ staffId: created.id, email: created.email, roles: created.roles, password: values.password ? '(as given)' : password });
        break;
      }
      default:
        throw new Error(`unknown command ${command}\n\n${USAGE}`);
    }
  } finally {
    await app.close();
  }
}

/** Options not given are left out, as a JSON body would leave them out. */
function defined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** A database behind this build is reported, never migrated: the schema changes only when asked. */
async function assertSchemaCurrent(config: AppConfig): Promise<void> {
  let pending: string[];
  try {
    pending = await pendingMigrations(config);
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_BAD_DB_ERROR')
      throw new Error(`database ${config.database.name} does not exist; \`npm start\` or \`npm run migration:run\` creates it`, { cause: error });
    throw new Error(describeConnectionError(error, 'MySQL', `${config.database.host}:${config.database.port}`) ?? (error as Error).message, { cause: error });
  }
  if (pending.length)
    throw new Error(
      `the database schema is behind this build (${pending.length} migration${pending.length > 1 ? 's' : ''} pending: ${pending.join(', ')}); run \`npm run migration:run\` first`,
    );
}

async function listAll<T, V>(page: (cursor?: string) => Promise<{ data: T[]; nextCursor: string | null }>, present: (row: T) => V): Promise<V[]> {
  const all: V[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    all.push(...next.data.map(present));
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

main().catch((error) => {
  const details = error instanceof DomainError && error.details.length ? `\n${error.details.map((d) => `  ${d.field}: ${d.issue}`).join('\n')}` : '';
  console.error(`payhub cli: ${(error as Error).message}${details}`);
  process.exit(1);
});
