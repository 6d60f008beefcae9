import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { presentStaff, StaffService, STAFF_ROLES, StaffRole } from '@payhub/backoffice';
import { AppConfig, randomToken } from '@payhub/common';
import { describeConnectionError } from '@payhub/database';
import { MerchantsService, presentMerchant } from '@payhub/merchants';
import { createAdminContext } from './admin-context';
import { pendingMigrations } from './migrate';
import { preflight } from './preflight';

const USAGE = `payhub admin CLI

  npm run cli -- merchant:list
  npm run cli -- merchant:create --name <name> [--webhook-url <url>]
  npm run cli -- api-key:create --merchant <mer_…> [--label <label>]
  npm run cli -- api-key:list --merchant <mer_…>
  npm run cli -- api-key:revoke --merchant <mer_…> --key <key_…>   (at once, in every running payhub process)
  npm run cli -- staff:list
  npm run cli -- staff:create --email <email> --roles admin,operator [--password <pw>]

Secrets (API keys, webhook secrets, generated passwords) are printed once. The CLI never changes the
schema: on a database that is behind it stops and names \`npm run migration:run\`.`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, 'webhook-url': { type: 'string' }, merchant: { type: 'string' }, label: { type: 'string' }, key: { type: 'string' }, email: { type: 'string' }, roles: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  if (!command || command === 'help' || command === '--help') return void console.log(USAGE);

  const config = await preflight('cli', { createDatabase: false });
  await assertSchemaCurrent(config);
  const app = await createAdminContext(config);
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
        if (!values.name) throw new Error('--name is required');
        const created = await app.get(MerchantsService).create({ name: values.name, webhookUrl: values['webhook-url'] ?? null });
        print({ merchantId: created.merchant.id, name: created.merchant.name, apiKey: created.apiKey, webhookSecret: created.webhookSecret });
        break;
      }
      case 'api-key:create': {
        if (!values.merchant) throw new Error('--merchant is required');
        print(await app.get(MerchantsService).createApiKey(values.merchant, values.label));
        break;
      }
      case 'api-key:list': {
        if (!values.merchant) throw new Error('--merchant is required');
        print(await app.get(MerchantsService).listApiKeys(values.merchant));
        break;
      }
      case 'api-key:revoke': {
        if (!values.merchant || !values.key) throw new Error('--merchant and --key are required');
        print((await app.get(MerchantsService).revokeApiKey(values.merchant, values.key)).after);
        break;
      }
      case 'staff:create': {
        if (!values.email || !values.roles) throw new Error('--email and --roles are required');
        const roles = values.roles.split(',').map((r) => r.trim());
        const bad = roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r));
        if (bad.length) throw new Error(`unknown roles: ${bad.join(', ')} (known: ${STAFF_ROLES.join(', ')})`);
        const password = values.password ?? randomToken(12);
        if (password.length < 10) throw new Error('--password must be at least 10 characters');
        const created = await app.get(StaffService).create({ email: values.email, password, roles: roles as StaffRole[] });
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

/** A database behind this build is reported, never migrated: the schema changes only when asked. */
async function assertSchemaCurrent(config: AppConfig): Promise<void> {
  let pending: string[];
  try {
    pending = await pendingMigrations(config);
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_BAD_DB_ERROR') throw new Error(`database ${config.database.name} does not exist; \`npm start\` or \`npm run migration:run\` creates it`, { cause: error });
    throw new Error(describeConnectionError(error, 'MySQL', `${config.database.host}:${config.database.port}`) ?? (error as Error).message, { cause: error });
  }
  if (pending.length) throw new Error(`the database schema is behind this build (${pending.length} migration${pending.length > 1 ? 's' : ''} pending: ${pending.join(', ')}); run \`npm run migration:run\` first`);
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
  console.error(`payhub cli: ${(error as Error).message}`);
  process.exit(1);
});
