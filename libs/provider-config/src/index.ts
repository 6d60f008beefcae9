export * from './provider-config.types';
export * from './provider-config.dto';
export {
  IsApiPath,
  isApiPath,
  IsCurrencyList,
  isCurrencyList,
  IsHeaderName,
  isHttpUrl,
  IsPaywayMapping,
  isPaywayMapping,
  parseCurrencyList,
  ThreeDsRoutingSchema,
} from '@payhub/providers-core';
export * from './config-descriptor.registry';
export * from './provider-config.validator';
export * from './config-secrets';
export * from './paymentiq-xml';
export * from './account-settings.resolver';
export * from './provider-config-version.entity';
export * from './merchant-provider-configs';
export * from './provider-config.service';
export * from './provider-config.module';
export * from './config-form';
