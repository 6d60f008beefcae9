export * from './merchant.entity';
export * from './api-key.entity';
export * from './merchants.service';
export * from './api-key.guard';
export * from './merchants.module';
