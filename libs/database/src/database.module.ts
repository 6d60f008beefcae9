import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@payhub/common';
import { buildDataSourceOptions } from './database-options';
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
  providers: [SqlBatch],
  exports: [SqlBatch],
})
export class DatabaseModule {}
