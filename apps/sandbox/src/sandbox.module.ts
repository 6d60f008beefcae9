import { Controller, DynamicModule, Get, Module, Type } from '@nestjs/common';
import { InterkassaSandboxModule } from './interkassa/interkassa-sandbox.module';
import { PaykassmaSandboxModule } from './paykassma/paykassma-sandbox.module';
import { KashaSandboxModule } from './kasha/kasha-sandbox.module';

/** Provider simulators mounted in the sandbox: each provider adds its module here. */
export const SANDBOX_PROVIDER_MODULES: Array<{ id: string; module: Type | DynamicModule }> = [
  { id: 'interkassa', module: InterkassaSandboxModule },
  { id: 'paykassma', module: PaykassmaSandboxModule },
  { id: 'kasha', module: KashaSandboxModule },
];

@Controller()
export class SandboxHealthController {
  @Get('health')
  health() {
    return { status: 'ok', providers: SANDBOX_PROVIDER_MODULES.map((p) => p.id) };
  }
}

@Module({
  imports: SANDBOX_PROVIDER_MODULES.map((p) => p.module),
  controllers: [SandboxHealthController],
})
export class SandboxModule {}
