import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { KashaSandboxEngine } from './kasha-sandbox.engine';
import { KASHA_DEFAULT_READINGS, KashaSandboxReadings } from './kasha-sandbox.state';

/** The simulator's controls (not Kasha's): readings to switch, transactions and requests to inspect, notifications to repeat. */
@Controller('kasha')
export class KashaSandboxControlController {
  constructor(private readonly engine: KashaSandboxEngine) {}

  /** Switches a reading the document leaves open; `{}` restores the defaults. */
  @Post('_sandbox/readings')
  setReadings(@Body() body: Partial<KashaSandboxReadings>): KashaSandboxReadings {
    this.engine.state.readings = { ...KASHA_DEFAULT_READINGS, ...body };
    return this.engine.state.readings;
  }

  @Get('_sandbox/transactions/:transactionId')
  inspect(@Param('transactionId') id: string, @Res() reply: FastifyReply): void {
    const tx = this.engine.state.transactions.get(id);
    if (!tx) return void reply.status(404).send({ message: 'unknown transaction' });
    void reply.send(tx);
  }

  @Get('_sandbox/transactions')
  list(@Query('merchantReference') reference: string | undefined) {
    return { data: reference ? this.engine.state.byMerchantReference(reference) : [...this.engine.state.transactions.values()] };
  }

  @Get('_sandbox/requests')
  requests(@Query('contains') needle: string | undefined) {
    return { data: needle ? this.engine.state.requests.filter((r) => JSON.stringify(r).includes(needle)) : this.engine.state.requests };
  }

  /** Re-sends the current state's notification (a repeat, as Kasha's retries would). */
  @Post('_sandbox/transactions/:transactionId/notify')
  async renotify(@Param('transactionId') id: string, @Res() reply: FastifyReply): Promise<void> {
    const tx = this.engine.state.transactions.get(id);
    if (!tx) return void reply.status(404).send({ message: 'unknown transaction' });
    void reply.send({ httpStatus: await this.engine.notify(tx) });
  }
}
