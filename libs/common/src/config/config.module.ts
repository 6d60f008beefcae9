import { DynamicModule, Global, Module } from '@nestjs/common';
import { SecretBox } from '../crypto/secret-box';
import { MetricsService } from '../metrics/metrics.service';
import { AppConfig, loadConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** `config` lets tests and scripts pass an already-built config instead of reading the environment. */
  static forRoot(config?: AppConfig): DynamicModule {
    const value = config ?? loadConfig();
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: value },
        { provide: SecretBox, useValue: SecretBox.fromMasterKey(value.secretKey, value.previousSecretKeys) },
        // One metrics registry per process, beside the config that says whether metrics are on.
        { provide: MetricsService, useValue: new MetricsService(value.metricsEnabled) },
      ],
      exports: [APP_CONFIG, SecretBox, MetricsService],
    };
  }
}
