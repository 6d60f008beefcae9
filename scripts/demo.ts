import 'reflect-metadata';
import { createAdminContext } from './admin-context';
import { runMigrations } from './migrate';
import { preflight } from '../apps/shared/preflight';
import { seedDemo } from './seed-demo';

/**
 * Seeds (or keeps) the demo merchant and staff on a database whose services run elsewhere, e.g. the
 * `demo` profile of docker-compose. `npm start` does the same itself. `--reset-demo` starts it afresh.
 */
async function main(): Promise<void> {
  const config = await preflight('demo');
  await runMigrations(config, (line) => console.log(`payhub demo: ${line}`));
  const admin = await createAdminContext(config);
  try {
    const demo = await seedDemo(admin, config, { reset: process.argv.includes('--reset-demo') });
    console.log(
      [
        `payhub demo: merchant demo (${demo.merchantId})`,
        `  API key    ${demo.apiKey}`,
        ...(demo.webhookSecret ? [`  Webhook    secret ${demo.webhookSecret} (shown once)`] : []),
        `  Staff      ${demo.staff.map((s) => s.email).join(', ')}`,
        `  Password   ${demo.password}`,
        `  Providers  point at ${config.sandboxUrl}`,
      ].join('\n'),
    );
  } finally {
    await admin.close();
  }
}

main().catch((error) => {
  console.error(`payhub demo failed: ${(error as Error).message}`);
  process.exit(1);
});
