import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { ALL_ENTITIES } from '../libs/database/src/all-entities';
import { TestApp } from './support/test-app';

const namesOf = (targets: unknown[]) => targets.map((t) => (t as { name: string }).name).sort();

/** `npm run migration:generate` diffs ALL_ENTITIES against the schema: it must see every table the app uses. */
describe('entity list', () => {
  it('the migration CLI has exactly the entities the api and the worker load', async () => {
    const t = await TestApp.start();
    try {
      const apiEntities = namesOf(t.db.entityMetadatas.map((m) => m.target));
      const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
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
