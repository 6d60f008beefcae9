import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { ALL_ENTITIES } from '../libs/database/src/all-entities';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';

const namesOf = (targets: unknown[]) => targets.map((t) => (t as { name: string }).name).sort();

/** `npm run migration:generate` diffs ALL_ENTITIES against the schema: it must see every table the app uses. */
describe('entity list', () => {
  it('the migration CLI has exactly the entities the api and the worker load', async () => {
    // Its own database: the worker below runs its timers and must not pick up other specs' rows.
    const t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('entities') } });
    try {
      const apiEntities = namesOf(t.db.entityMetadatas.map((m) => m.target));
      const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
      await worker.init();
      try {
        const workerEntities = namesOf(worker.get<DataSource>(getDataSourceToken()).entityMetadatas.map((m) => m.target));
        expect(namesOf(ALL_ENTITIES)).toEqual(apiEntities);
        expect(workerEntities).toEqual(apiEntities);
        expect(apiEntities).toEqual(
          expect.arrayContaining(['WebhookDeliveryEntity', 'WebhookAttemptEntity', 'StatusCheckEntity', 'ReconciliationReportEntity']),
        );
      } finally {
        await worker.close();
      }
    } finally {
      await t.close();
    }
  });
});
