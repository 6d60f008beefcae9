import { Controller, DynamicModule, Get, Module, Type } from '@nestjs/common';

/** Provider simulators mounted in the sandbox: each provider adds its module here. */
export const SANDBOX_PROVIDER_MODULES: Array<{ id: string; module: Type | DynamicModule }> = [];

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
