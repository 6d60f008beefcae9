import { DynamicModule, Global, Module } from '@nestjs/common';
import { SecretBox } from '../crypto/secret-box';
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
      ],
      exports: [APP_CONFIG, SecretBox],
    };
  }
}
