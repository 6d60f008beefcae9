import { Module } from '@nestjs/common';
import { PaykassmaProvider } from './paykassma.provider';
import { PaykassmaUrlHashCache } from './paykassma-url-hash.cache';

@Module({
  providers: [PaykassmaUrlHashCache, PaykassmaProvider],
  exports: [PaykassmaProvider],
})
export class PaykassmaModule {}
