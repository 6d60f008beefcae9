import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TcpProxy } from './support/tcp-proxy';
import { testDatabaseUrl } from './support/test-database';

/** One command a client sent to MySQL: its command byte (0x03 is COM_QUERY) and, for a query, its SQL. */
interface Command {
  command: number;
  sql: string;
}

/**
 * Reads the MySQL client protocol on one connection: every packet is a 3-byte length, a sequence number and
 * the payload; a packet with sequence 0 starts a command, whose first byte names it. The handshake answer
 * (sequence 1) and the rest of a multi-packet exchange are not commands.
 */
function commandReader(into: Command[]): () => (chunk: Buffer) => void {
  return () => {
    let pending: Buffer = Buffer.alloc(0);
    return (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4) {
        const length = pending.readUIntLE(0, 3);
        if (pending.length < 4 + length) break;
        const payload = pending.subarray(4, 4 + length);
        if (pending[3] === 0 && length > 0) into.push({ command: payload[0], sql: payload[0] === 0x03 ? payload.subarray(1).toString('utf8') : '' });
        pending = pending.subarray(4 + length);
      }
    };
  };
}

/**
 * Issue 21: the deposit path makes no more DB round trips than its two batches (one short DB transaction
 * before the provider call, one after it). Counted on the wire between the real api and MySQL, so a read
 * added anywhere on the path (a guard, an interceptor, a cache miss) shows here.
 */
describe('deposit DB round trips', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let merchant: TestMerchant;
  const sent: Command[] = [];

  beforeAll(async () => {
    const direct = new URL(testDatabaseUrl());
    proxy = await new TcpProxy(direct.hostname, Number(direct.port || 3306), commandReader(sent)).up();
    direct.port = String(proxy.port);
    // Metrics off: the only DB work an api does on its own is the 15-second gauge collection (metrics only count
    // in memory on the request path), and a tick inside a window would be counted as the deposit's.
    t = await TestApp.start({ env: { DATABASE_URL: direct.toString(), METRICS_ENABLED: 'false' } });
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    // Warm: the first deposits of a merchant fill the api's caches (key, configs, rules, statements).
    for (let i = 0; i < 3; i++) expect((await merchant.api.post('/v1/deposits', deposit())).status).toBe(201);
  }, 60000);
  afterAll(async () => {
    await t?.close();
    await proxy?.down();
  });

  /** What the api sent to MySQL while answering `request`, and for 300 ms after (work done after answering counts). */
  async function commandsOf<T>(request: () => Promise<T>): Promise<{ result: T; commands: Command[] }> {
    await new Promise((r) => setTimeout(r, 300));
    sent.length = 0;
    const result = await request();
    await new Promise((r) => setTimeout(r, 300));
    return { result, commands: sent.splice(0) };
  }

  const isBatch = (c: Command) => c.command === 0x03 && /^(SET @\w+ = NULL(, @\w+ = NULL)*;\n)?START TRANSACTION;\n/.test(c.sql) && c.sql.endsWith('\nCOMMIT');
  const describeAll = (commands: Command[]) => commands.map((c) => `${c.command}: ${c.sql.slice(0, 80)}`);

  it.each([
    ['an approved', 150000, 'WAITING_INPUT'],
    ['a declined', 150001, 'FAILED'],
  ])('%s card deposit is two batches: one DB transaction before the provider call, one after it', async (_what, amount, status) => {
    const body = deposit({ amount });
    const { result, commands } = await commandsOf(() => merchant.api.post('/v1/deposits', body));
    expect(result.status).toBe(201);
    expect(result.body.status).toBe(status);
    expect(describeAll(commands)).toHaveLength(2);
    expect(commands.every(isBatch)).toBe(true);
    expect(commands[0].sql).toContain('INSERT INTO `transactions`');
    expect(commands[0].sql).toContain(body.merchantTxId as string);
    expect(commands[1].sql).toMatch(/UPDATE `transactions` SET .* WHERE .*`id` = /s);
    expect(commands[1].sql).toContain(result.body.id);
  });

  it('with an Idempotency-Key: the key is claimed before and completed after the two batches; a replay reads the answer and runs nothing', async () => {
    const body = deposit();
    const key = `round-trips-${Date.now()}`;
    const first = await commandsOf(() => merchant.api.post('/v1/deposits', body, { 'idempotency-key': key }));
    expect(first.result.status).toBe(201);
    expect(describeAll(first.commands)).toHaveLength(4);
    expect(first.commands[0].sql).toMatch(/^INSERT INTO `idempotency_keys`/);
    expect(first.commands.slice(1, 3).every(isBatch)).toBe(true);
    expect(first.commands[3].sql).toMatch(/^UPDATE `idempotency_keys` SET `state` = 'completed'/);

    const replay = await commandsOf(() => merchant.api.post('/v1/deposits', body, { 'idempotency-key': key }));
    expect(replay.result.status).toBe(201);
    expect(replay.result.body.id).toBe(first.result.body.id);
    expect(describeAll(replay.commands)).toHaveLength(2);
    expect(replay.commands[0].sql).toMatch(/^INSERT INTO `idempotency_keys`/);
    expect(replay.commands[1].sql).toMatch(/^SELECT .* FROM `idempotency_keys`/s);
    expect(replay.commands.some(isBatch)).toBe(false);
  });
});
