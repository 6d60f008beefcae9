import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyStrategy } from './api-key.strategy';
import { MerchantEntity } from './merchant.entity';
import { MerchantsService } from './merchants.service';

export const MERCHANT_ENTITIES = [MerchantEntity, ApiKeyEntity];

@Global()
@Module({
  imports: [PassportModule, TypeOrmModule.forFeature(MERCHANT_ENTITIES)],
  providers: [MerchantsService, ApiKeyStrategy],
  exports: [MerchantsService],
})
export class MerchantsModule {}
