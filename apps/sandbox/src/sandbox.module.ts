import { Controller, Get, Module } from '@nestjs/common';

@Controller()
export class SandboxHealthController {
  @Get('health')
  health() {
    return { status: 'ok', providers: SANDBOX_PROVIDERS };
  }
}

/** Provider simulators mounted in the sandbox; each provider's module adds itself here. */
export const SANDBOX_PROVIDERS: string[] = [];

@Module({ controllers: [SandboxHealthController] })
export class SandboxModule {}
