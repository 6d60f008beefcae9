import { Module } from '@nestjs/common';
import { InterkassaSandboxController } from './interkassa-sandbox.controller';
import { InterkassaSandboxState } from './interkassa-sandbox.state';

@Module({
  controllers: [InterkassaSandboxController],
  providers: [InterkassaSandboxState],
  exports: [InterkassaSandboxState],
})
export class InterkassaSandboxModule {}
