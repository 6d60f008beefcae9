import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@payhub/common';
import { buildDataSourceOptions } from './database-options';
import { ReadReplicas } from './read-replicas';
import { SqlBatch } from './sql-batch';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config),
        autoLoadEntities: true,
        migrationsRun: false,
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [SqlBatch, ReadReplicas],
  exports: [SqlBatch, ReadReplicas],
})
export class DatabaseModule {}
