import { Module } from '@nestjs/common';
import { PaykassmaProvider } from './paykassma.provider';
import { PaykassmaUrlHashCache } from './paykassma-url-hash.cache';
import { PaykassmaWalletListCache } from './paykassma-wallet-list.cache';

@Module({
  providers: [PaykassmaUrlHashCache, PaykassmaWalletListCache, PaykassmaProvider],
  exports: [PaykassmaProvider],
})
export class PaykassmaModule {}
