import { Module } from '@nestjs/common';
import { InterkassaProvider } from './interkassa.provider';

@Module({
  providers: [InterkassaProvider],
  exports: [InterkassaProvider],
})
export class InterkassaModule {}
