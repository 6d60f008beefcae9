import { createHash } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Float, sbJsonDecode, sbWithdrawalSignature } from './paykassma-sandbox.php';
import { PaykassmaSandboxState, PK_DEFAULT_READINGS, PK_WALLETS, PkSandboxAccount, PkSandboxReadings, PkWallet, pkNow } from './paykassma-sandbox.state';

/** Longer than the provider timeout tests configure (2 s). */
export const PK_SLOW_MS = 3000;
const SUSPICIOUS = 'Check of deposit status started. The operation may take longer than expected. Once checked the funds will credit to your account';

/** Required withdrawal fields per PS, as the simulator enforces them. */
const WITHDRAWAL_REQUIRED: Record<string, string[]> = {
  bkash: ['account_number', 'account_email'],
  imps_ib: ['account_number', 'account_name', 'bank_details.bank_code'],
  upi_ib: ['account_number', 'account_name'],
  paytm: ['account_number'],
  itau_ml: ['account_number', 'account_name'],
};

type Q = Record<string, string | string[] | undefined>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (message: unknown) => ({ status: 'fail', message });
const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : String(value).split(','));

/**
 * Paykassma as paykassma-api.md and the Itau Paraguay manual describe it, under `/paykassma`: the
 * plugin API (`?secret=`, 404 on a wrong one), `v2/withdrawal/create` (signed, no secret), postbacks
 * (signed, re-sent until `{"status":"ok"}`), and a control API under `/paykassma/_sandbox`.
 * Deterministic outcomes: apps/sandbox/README.md.
 */
@Controller('paykassma')
export class PaykassmaSandboxController {
  constructor(private readonly state: PaykassmaSandboxState) {}

  private account(secret: unknown, reply: FastifyReply): PkSandboxAccount | null {
    const account = typeof secret === 'string' ? this.state.accounts.get(secret) : undefined;
    if (!account) void reply.status(404).send({ message: 'Not found' });
    return account ?? null;
  }

  @Get('api/v1/payment-systems/available')
  available(@Query() q: Q, @Res() reply: FastifyReply): void {
    if (!this.account(q.secret, reply)) return;
    this.state.stats.availableCalls++;
    const currencies = list(q['currency_code[]'] ?? q.currency_code);
    if (!currencies.length || !q.label) return void reply.send(fail('currency_code and label are required'));
    const wallets = PK_WALLETS.filter((w) => currencies.includes(w.currency)).map((w) => ({
      type: w.type,
      currency_code: w.currency,
      order: w.order,
      logo: `https://sandbox.paykassma.local/logos/${w.type}.svg`,
      name: w.name,
      is_manual: w.isManual,
      uploading_payment_bill: w.type === 'itau_ml' ? this.state.readings.itauListsPaymentBill : w.bill,
    }));
    reply.send({ status: 'ok', params: { currency_data: currencies.map((code) => ({ code, symbol: code })), wallets } });
  }

  /** The document's path ends in a slash; the module also mounts it there (Nest drops trailing slashes). */
  @Get('wallet-type/images')
  images(@Query() q: Q, @Res() reply: FastifyReply): void {
    if (!this.account(q.secret, reply)) return;
    const data = Object.fromEntries(PK_WALLETS.map((w, i) => [w.type, { id: 480 + i, url: `https://sandbox.paykassma.local/guide/${w.type}.mp4` }]));
    reply.send({ status: 'success', message: '', code: 20000, data });
  }

  @Post('api/v1/transaction/create/:walletType')
  create(@Param('walletType') walletType: string, @Query() q: Q, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): void {
    if (!this.account(q.secret, reply)) return;
    const wallet = PK_WALLETS.find((w) => w.type === walletType && w.currency === body?.currency);
    if (!body?.label || !body.currency) return void reply.send(fail({ label: ['The label field is required.'] }));
    if (!wallet) return void reply.send(fail('Payment system is not available'));
    reply.send({ status: 'ok', params: this.state.payTo(String(body.label), wallet) });
  }

  @Post('api/v1/transaction/activate')
  async activate(@Query() q: Q, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const account = this.account(q.secret, reply);
    if (!account) return;
    const wallet = PK_WALLETS.find((w) => w.type === body?.wallet_type && w.currency === body?.currency_code);
    const missing = [
      'currency_code',
      'wallet_type',
      'label',
      'key1',
      'custom_transaction_id',
      ...(['upi_p2p', 'phone_pe'].includes(String(body?.wallet_type)) ? ['amount'] : []),
    ].filter((f) => body?.[f] === undefined || body[f] === '');
    if (missing.length) return void reply.send(fail(Object.fromEntries(missing.map((f) => [f, [`The ${f} field is required.`]]))));
    if (!wallet || wallet.isManual) return void reply.send(fail('Payment system is not available'));
    await this.activation(account, wallet, String(body.label), String(body.key1), String(body.custom_transaction_id), body.amount, reply, () => ({
      status: 'ok',
    }));
  }

  @Post('api/v1/possible-transaction')
  async possible(@Query() q: Q, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const account = this.account(q.secret, reply);
    if (!account) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const wallet = PK_WALLETS.find((w) => w.type === body.wallet_type && w.currency === body.currency_code);
    const customId = body.custom_id ?? body.custom_transaction_id;
    const missing = ['currency_code', 'wallet_type', 'label', 'key1', 'amount'].filter((f) => body[f] === undefined || body[f] === '');
    if (!customId) missing.push('custom_id');
    // The Itau manual makes the screenshot mandatory for itau_ml, whatever the list's flag says.
    if ((wallet?.bill || wallet?.type === 'itau_ml') && !body.screenshot) missing.push('screenshot');
    if (missing.length) return void reply.send(fail(Object.fromEntries(missing.map((f) => [f, [`The ${f} field is required.`]]))));
    if (!wallet) return void reply.send(fail('Payment system is not available'));
    if (wallet.type === 'itau_ml' && !/^\d{6,10}$/.test(String(body.key1))) return void reply.send(fail({ key1: ['Transaction field has wrong length'] }));
    await this.activation(account, wallet, String(body.label), String(body.key1), String(customId), body.amount, reply, () => ({
      status: 'success',
      message: '',
      code: 20000,
      data: [],
      paginate: { offset: 0, total: 1, limit: 1 },
    }));
  }

  /** The key1 prefix picks the outcome (README): 404 not found, 777 possible transaction, 400 suspicious, 500 error, 999 slow. */
  private async activation(
    account: PkSandboxAccount,
    wallet: PkWallet,
    label: string,
    key1: string,
    customId: string,
    amount: unknown,
    reply: FastifyReply,
    success: () => unknown,
  ): Promise<void> {
    if (key1.startsWith('500')) return void reply.status(500).send({ message: 'Server Error' });
    if (key1.startsWith('404')) return void reply.send(fail('Transaction not found'));
    if (this.state.usedKey1.has(`${account.secret}|${key1}`)) return void reply.send(fail({ key1: ['Transaction already activated'] }));
    if (this.state.usedCustomIds.has(`${account.secret}|${customId}`))
      return void reply.send(fail({ custom_transaction_id: ['The custom transaction id has already been taken.'] }));
    this.state.usedKey1.add(`${account.secret}|${key1}`);
    this.state.usedCustomIds.add(`${account.secret}|${customId}`);
    const paid = amount === undefined || amount === null || amount === '' ? 500 : Number(amount);
    const item = { secret: account.secret, transactionId: key1, customId, wallet, label, amount: paid, createdAt: pkNow() };
    if (key1.startsWith('777')) {
      this.state.held.set(`${account.secret}|${key1}`, item);
      return void reply.send({ status: 'possible_transaction_created', message: 'Transaction not found. Possible transaction created' });
    }
    if (key1.startsWith('400')) {
      this.state.held.set(`${account.secret}|${key1}`, item);
      return void reply.status(400).send(fail(SUSPICIOUS));
    }
    if (key1.startsWith('999')) await sleep(PK_SLOW_MS);
    this.state.credit({ ...item, activatedAt: pkNow() });
    reply.send(success());
  }

  @Post('api/v1/payment/create/:ps')
  create2(@Param('ps') ps: string, @Query() q: Q, @Body() body: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const account = this.account(q.secret, reply);
    if (!account) return;
    const wallet = PK_WALLETS.find((w) => w.type === ps && w.currency === body?.currency);
    if (!wallet) return void reply.send(fail('Payment system is not available'));
    const urls =
      ps === 'bkash_api'
        ? ['success_url', 'failure_url', 'cancel_url']
        : ps === 'nagad_api'
          ? ['success_url', 'fail_url', 'cancel_url']
          : ['redirect_url', 'bank', 'language'];
    const missing = ['amount', 'currency', 'label', 'custom_transaction_id', ...urls, ...(ps === 'bkash_api' ? ['account_number'] : [])].filter(
      (f) => body[f] === undefined || body[f] === '',
    );
    if (missing.length) return void reply.send(fail(Object.fromEntries(missing.map((f) => [f, [`The ${f} field is required.`]]))));
    if (ps === 'bkash_api' && !/^01\d{9}$/.test(String(body.account_number)))
      return void reply.send(fail({ account_number: ['The account number format is invalid.'] }));
    if (Number(body.amount) < wallet.min) return void reply.send(fail(`Amount is less than the minimum deposit (${wallet.min})`));
    if (this.state.usedCustomIds.has(`${account.secret}|${body.custom_transaction_id}`))
      return void reply.send(fail({ custom_transaction_id: ['The custom transaction id has already been taken.'] }));
    this.state.usedCustomIds.add(`${account.secret}|${body.custom_transaction_id}`);
    const orderId = createHash('sha1').update(`${account.secret}|${body.custom_transaction_id}`).digest('hex').slice(0, 16);
    this.state.redirectOrders.set(orderId, {
      item: {
        secret: account.secret,
        transactionId: `R${this.state.nextId()}`,
        customId: String(body.custom_transaction_id),
        wallet,
        label: String(body.label),
        amount: Number(body.amount),
        createdAt: pkNow(),
      },
      state: 'open',
    });
    const url = `${req.protocol}://${req.headers.host}/paykassma/_sandbox/checkout/${orderId}`;
    if (ps === 'bkash_api') return void reply.send({ status: 'ok', data: { orderId, bkashUrl: url, message: 'Successful' } });
    if (ps === 'nagad_api') return void reply.send({ status: 'ok', payment_url: url });
    reply.send({ status: 'ok' });
  }

  @Get('api/v1/deposit-info')
  depositInfo(@Query() q: Q, @Res() reply: FastifyReply): void {
    const account = this.account(q.secret, reply);
    if (!account) return;
    const wallet = PK_WALLETS.find((w) => w.type === q.wallet_type && w.currency === q.currency);
    if (!wallet || !q.label) return void reply.send(fail('label, wallet_type and currency are required'));
    const sum = this.state.stockpileOf(account.secret, String(q.label), wallet).items.reduce((s, i) => s + i.amount, 0);
    reply.send({ status: 'ok', stockpiling_sum: sum, lacks_sum: Math.max(0, wallet.min - sum), minimum_deposit: wallet.min });
  }

  @Post('payment-plugin/hash-url')
  hashUrl(@Query() q: Q, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): void {
    const account = this.account(q.secret, reply);
    if (!account) return;
    this.state.stats.hashUrlCalls++;
    const urls: Record<string, Array<{ order: number; url: string }>> = {};
    for (const [name, out] of [
      ['success_urls', 'success_url'],
      ['fail_urls', 'fail_url'],
      ['pending_urls', 'pending_url'],
    ] as const) {
      const given = body?.[name];
      if (!Array.isArray(given)) return void reply.send(fail({ [name]: [`The ${name} field must be an array.`] }));
      const bad = given.find(
        (u: { order?: unknown; url?: unknown }) => typeof u?.order !== 'number' || typeof u?.url !== 'string' || !/^https?:\/\//.test(u.url),
      );
      if (bad) return void reply.send(fail({ [name]: ['Each entry needs an integer order and a URL.'] }));
      urls[out] = [...given]
        .sort((a, b) => a.order - b.order)
        .map((u, i) => ({ order: i + 1, url: createHash('sha256').update(`${account.secret}|${u.url}`).digest('hex') }));
    }
    reply.send({ status: 'ok', urls });
  }

  @Post('v2/withdrawal/create')
  async withdraw(@Req() req: FastifyRequest & { rawBody?: Buffer }, @Res() reply: FastifyReply): Promise<void> {
    let data: Record<string, unknown>;
    try {
      data = sbJsonDecode(req.rawBody?.toString('utf8') ?? '') as Record<string, unknown>;
    } catch {
      return void reply.status(400).send(fail('Malformed JSON'));
    }
    const signature = typeof data.signature === 'string' ? data.signature : '';
    const account = [...this.state.accounts.values()].find((a) => sbWithdrawalSignature(a.withdrawalKey, data) === signature);
    if (!account) return void reply.send(fail({ signature: ['Invalid signature'] }));
    const ps = String(data.payment_system ?? '');
    const get = (path: string) => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);
    const missing = [
      'payment_system',
      'amount',
      'currency_code',
      'label',
      'is_test',
      ...(WITHDRAWAL_REQUIRED[ps] ?? []),
      ...(this.state.readings.extraWithdrawalRequired[ps] ?? []),
    ].filter((f) => get(f) === undefined || get(f) === null || get(f) === '');
    if (missing.length) return void reply.send(fail(Object.fromEntries(missing.map((f) => [f, [`The ${f} field is required.`]]))));
    if (data.amount instanceof Float || !Number.isInteger(data.amount)) return void reply.send(fail({ amount: ['The amount must be an integer.'] }));
    if (ps === 'itau_ml' && !/^\d{7,9}$/.test(String(data.account_number)))
      return void reply.send(fail({ account_number: ['The account number must be 7 to 9 digits.'] }));
    const accountNumber = String(data.account_number ?? '');
    if (accountNumber.endsWith('500')) return void reply.status(502).send('<html>Bad Gateway</html>');
    const id = String(data.withdrawal_id ?? `W${this.state.nextId()}`);
    if (this.state.withdrawals.has(id)) return void reply.send(fail({ withdrawal_id: ['The withdrawal id has already been taken.'] }));
    const currency = String(data.currency_code);
    const open = [...this.state.withdrawals.values()]
      .filter((w) => w.secret === account.secret && w.status === null && w.body.currency_code === currency)
      .reduce((s, w) => s + Number(w.body.amount), 0);
    if ((account.balances[currency] ?? 0) < open + Number(data.amount)) return void reply.send(fail({ withdrawals_sum_amount: ['Insufficient balance'] }));
    const withdrawal = { secret: account.secret, body: { ...data, withdrawal_id: id }, status: null as 1 | 5 | null };
    this.state.withdrawals.set(id, withdrawal);
    if (accountNumber.endsWith('999')) await sleep(PK_SLOW_MS);
    // Paykassma processes the request later; the sandbox does after 100 ms: accounts ending in 55 are rejected.
    this.state.later(100, () => {
      withdrawal.status = accountNumber.endsWith('55') ? 5 : 1;
      if (withdrawal.status === 1) account.balances[currency] = (account.balances[currency] ?? 0) - Number(data.amount);
      this.state.withdrawalPostback(account.secret, withdrawal);
    });
    reply.send({ status: 'ok' });
  }

  @Get('api/v1/postback')
  postback(@Query() q: Q, @Res() reply: FastifyReply): void {
    const account = this.account(q.secret, reply);
    if (!account) return;
    if (q.type === 'withdrawal') {
      const found = this.withdrawalPostback(account, String(q.withdrawal_id ?? ''));
      return void reply.send(found ? { status: 'ok', postback: found } : fail('Postback not found'));
    }
    if (q.type !== 'deposit') return void reply.send(fail({ type: ['The selected type is invalid.'] }));
    const found = this.depositPostback(account, (i) => (q.custom_id ? i.customId === q.custom_id : i.transactionId === q.transaction_id));
    reply.send(found ? { status: 'ok', postback: found } : fail('Postback not found'));
  }

  @Get('api/v1/pullpostbacks')
  pull(@Query() q: Q, @Res() reply: FastifyReply): void {
    const account = this.account(q.secret, reply);
    if (!account) return;
    if (q.type === 'deposit') {
      const ids = list(q['plugin_custom_order_id[]'] ?? q.plugin_custom_order_id);
      if (!ids.length) return void reply.send(fail({ plugin_custom_order_id: ['The plugin custom order id field is required when type is deposit.'] }));
      const transactions = ids.map((id) => {
        const postback = this.depositPostback(account, (i) => i.customId === id);
        return postback ? { plugin_custom_order_id: id, postback } : { plugin_custom_order_id: id, message: 'Postback not found' };
      });
      return void reply.send({
        status: 'success',
        message: '',
        code: 20000,
        data: { transactions },
        paginate: { offset: 0, total: ids.length, limit: ids.length },
      });
    }
    if (q.type === 'withdrawal') {
      const ids = list(q['withdrawal_id[]'] ?? q.withdrawal_id);
      if (!ids.length) return void reply.send(fail({ withdrawal_id: ['The withdrawal id field is required when type is withdrawal.'] }));
      const withdrawals = ids.map((id) => {
        const postback = this.withdrawalPostback(account, id);
        return postback ? { withdrawal_id: id, postback } : { withdrawal_id: id, message: 'Postback not found' };
      });
      return void reply.send({
        status: 'success',
        message: '',
        code: 20000,
        data: { withdrawals },
        paginate: { offset: 0, total: ids.length, limit: ids.length },
      });
    }
    reply.send(fail({ type: ['The selected type is invalid.'] }));
  }

  @Get('api/v1/accounts-balance')
  balance(@Query() q: Q, @Res() reply: FastifyReply): void {
    const account = this.account(q.secret, reply);
    if (!account) return;
    const balances = Object.entries(account.balances).map(([currency, amount]) => ({
      wallet_type: PK_WALLETS.find((w) => w.currency === currency)?.type ?? 'manual',
      currency_code: currency,
      amount,
    }));
    reply.send({ status: 'success', message: '', code: 20000, data: { balances } });
  }

  /** The payment window: a page standing for Paykassma's plugin, echoing what it was opened with. */
  @Get('plugin')
  plugin(@Query() q: Q, @Res() reply: FastifyReply): void {
    const rows = Object.entries(q)
      .map(([k, v]) => `<li>${k}: ${String(v).replace(/[<>&"]/g, '')}</li>`)
      .join('');
    reply.type('text/html').send(`<!doctype html><title>Paykassma sandbox payment window</title><ul>${rows}</ul>`);
  }

  private depositPostback(account: PkSandboxAccount, match: (i: { customId: string | null; transactionId: string }) => boolean) {
    const found = this.state.credited.find((c) => c.items[0].secret === account.secret && c.items.some(match));
    if (!found) return null;
    const hit = found.items.find(match)!;
    const sum = found.items.reduce((s, i) => s + i.amount, 0);
    return {
      transaction_id: hit.transactionId,
      label: hit.label,
      stockpiling: { [hit.wallet.currency]: sum },
      stockpiling_id: found.stockpilingId,
      transactions: found.items.map((i) => ({
        amount: i.amount,
        currency_code: i.wallet.currency,
        wallet_type: i.wallet.type,
        transaction_id: i.transactionId,
        transaction_type: 0,
        from: null,
        created_datetime: i.createdAt,
        activated_datetime: i.activatedAt,
        custom_id: i.customId,
      })),
    };
  }

  private withdrawalPostback(account: PkSandboxAccount, id: string) {
    const w = this.state.withdrawals.get(id);
    if (!w || w.secret !== account.secret || w.status === null) return null;
    const b = w.body;
    return {
      withdrawal_id: id,
      status: w.status,
      comment: b.comment ?? '',
      payment_system: b.payment_system,
      amount: b.amount,
      currency_code: b.currency_code,
      label: b.label,
      account_number: b.account_number ?? null,
      account_name: b.account_name ?? null,
      account_email: b.account_email ?? null,
      payments_details: { payments_provider: null },
      bank_details: { bank_code: null, branch_code: null },
    };
  }

  // ---- control API (not Paykassma's): tests and the demo drive the simulator through it ----

  /** Creates or updates an account (secret and keys), e.g. to point its postbacks at a test's payhub. */
  @Post('_sandbox/accounts')
  upsertAccount(@Body() body: Partial<PkSandboxAccount>): { status: string } {
    const secret = String(body.secret ?? '');
    const current = this.state.accounts.get(secret);
    this.state.accounts.set(secret, {
      secret,
      accessKey: body.accessKey ?? current?.accessKey ?? '',
      privateKey: body.privateKey ?? current?.privateKey ?? '',
      withdrawalKey: body.withdrawalKey ?? current?.withdrawalKey ?? '',
      postbackUrl: body.postbackUrl ?? current?.postbackUrl ?? null,
      balances: body.balances ?? current?.balances ?? { INR: 1_000_000, BDT: 1_000_000, PYG: 100_000_000 },
    });
    return { status: 'ok' };
  }

  /** The customer on the bKash / Nagad page: `result=success` pays (postback), `result=fail` does not. */
  @Post('_sandbox/checkout/:orderId')
  checkout(@Param('orderId') orderId: string, @Query('result') result: string, @Res() reply: FastifyReply): void {
    const order = this.state.redirectOrders.get(orderId);
    if (!order || order.state !== 'open') return void reply.status(404).send({ message: 'Not found' });
    order.state = result === 'fail' ? 'failed' : 'paid';
    if (order.state === 'paid') this.state.credit({ ...order.item, activatedAt: pkNow() });
    reply.send({ status: 'ok', state: order.state });
  }

  @Get('_sandbox/checkout/:orderId')
  checkoutPage(@Param('orderId') orderId: string, @Res() reply: FastifyReply): void {
    const order = this.state.redirectOrders.get(orderId);
    if (!order) return void reply.status(404).send({ message: 'Not found' });
    reply
      .type('text/html')
      .send(
        `<!doctype html><title>${order.item.wallet.name} sandbox</title><p>Pay ${order.item.amount} ${order.item.wallet.currency}</p>` +
          `<form method="post" action="${orderId}?result=success"><button>Pay</button></form><form method="post" action="${orderId}?result=fail"><button>Fail</button></form>`,
      );
  }

  /** Paykassma's staff confirm a held activation (possible transaction or suspicious one): it is credited. */
  @Post('_sandbox/held/:secret/:key1/approve')
  approve(@Param('secret') secret: string, @Param('key1') key1: string, @Res() reply: FastifyReply): void {
    const item = this.state.held.get(`${secret}|${key1}`);
    if (!item) return void reply.status(404).send({ message: 'Not found' });
    this.state.held.delete(`${secret}|${key1}`);
    this.state.credit({ ...item, activatedAt: pkNow() });
    reply.send({ status: 'ok' });
  }

  /** Postbacks sent for an account, with every delivery attempt. */
  @Get('_sandbox/postbacks')
  postbacks(@Query('secret') secret: string) {
    return { data: this.state.deliveries.filter((d) => d.secret === secret) };
  }

  /** Switches a reading the documents leave open (docs/providers/paykassma.md); `{}` restores the defaults. */
  @Post('_sandbox/readings')
  setReadings(@Body() body: Partial<PkSandboxReadings>): PkSandboxReadings {
    this.state.readings = { ...PK_DEFAULT_READINGS, ...body };
    return this.state.readings;
  }

  @Get('_sandbox/stats')
  stats() {
    return this.state.stats;
  }
}
