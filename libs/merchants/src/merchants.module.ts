import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyGuard } from './api-key.guard';
import { MerchantEntity } from './merchant.entity';
import { MerchantsService } from './merchants.service';

export const MERCHANT_ENTITIES = [MerchantEntity, ApiKeyEntity];

@Global()
@Module({
  imports: [TypeOrmModule.forFeature(MERCHANT_ENTITIES)],
  providers: [MerchantsService, ApiKeyGuard],
  exports: [MerchantsService, ApiKeyGuard],
})
export class MerchantsModule {}
