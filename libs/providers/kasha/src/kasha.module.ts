import { Module } from '@nestjs/common';
import { KashaProvider } from './kasha.provider';

/** The Kasha adapter; the provider registry finds it by its `@PaymentProviderAdapter()` mark. */
@Module({
  providers: [KashaProvider],
  exports: [KashaProvider],
})
export class KashaModule {}
