import { createServer } from 'node:http';
import { createPool } from 'mysql2/promise';
import { request } from 'undici';
import { loadConfig, newId } from '@payhub/common';
import { interkassaSignature } from '@payhub/providers-interkassa';
import { INTERKASSA_DEMO_ACCOUNT } from './demo/interkassa.demo-seed';

/**
 * The yardstick for `npm run bench -- --baseline`: the least a card deposit can do. Plain node:http,
 * one INSERT, the Interkassa call, one UPDATE plus an outbox INSERT in a DB transaction; no framework,
 * no validation, no auth, no routing, no events. payhub's figures are read against this one's, measured
 * on the same machine with the same simulator and database.
 */
const config = loadConfig();
const merchantId = process.env.BENCH_MERCHANT_ID ?? 'bench-baseline';
const sci = `http://127.0.0.1:${process.env.SANDBOX_PORT}/interkassa/sci`;
const { host, port, user, password, name } = config.database;
const pool = createPool({ host, port, user, password, database: name, connectionLimit: 20, timezone: 'Z' });

interface Deposit {
  merchantTxId: string;
  userId: string;
  txType: string;
  amount: number;
  currency: string;
  card: { number: string; expiryMonth: string; expiryYear: string; cvv: string };
  customer: { email: string };
  redirectUrls: { success: string };
}

async function deposit(dto: Deposit): Promise<{ id: string; status: string; nextAction: unknown }> {
  const id = newId('tx');
  const now = new Date();
  await pool.execute(
    'INSERT INTO transactions (id, merchant_id, merchant_tx_id, user_id, tx_type, status, amount, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [id, merchantId, dto.merchantTxId, dto.userId, dto.txType, 'REGISTERED', dto.amount, dto.currency, now, now],
  );
  const params: Record<string, string> = {
    ik_co_id: INTERKASSA_DEMO_ACCOUNT.checkoutId,
    ik_pm_no: id,
    ik_am: (dto.amount / 100).toFixed(2),
    ik_cur: dto.currency,
    ik_desc: 'Payment',
    ik_act: 'process',
    ik_int: 'json',
    ik_payment_method: 'card',
    ik_payment_currency: dto.currency,
    ik_ltm: '3300',
    ik_pay_card_number: dto.card.number,
    ik_pay_card_exp_month: dto.card.expiryMonth,
    ik_pay_card_exp_year: dto.card.expiryYear,
    ik_pay_card_cvv: dto.card.cvv,
    // What payhub's adapter also sends for this request, so the simulator does the same work for both.
    ik_ia_u: `${config.publicUrl}/callbacks/interkassa/${id}`,
    ik_ia_m: 'post',
    ik_cli: dto.customer.email,
    ik_x_customer_email: dto.customer.email,
    ik_suc_u: dto.redirectUrls.success,
    ik_suc_m: 'get',
  };
  params.ik_sign = interkassaSignature(params, INTERKASSA_DEMO_ACCOUNT.secretKey, 'sha256');
  const response = await request(sci, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const answer = (await response.body.json()) as { resultData?: { paymentForm?: unknown } };
  const nextAction = answer.resultData?.paymentForm ?? null;
  const connection = await pool.getConnection();
  try {
    await connection.query('START TRANSACTION');
    await connection.execute('UPDATE transactions SET status = ?, next_action = ?, version = version + 1, updated_at = ? WHERE id = ?', [
      'WAITING_INPUT',
      JSON.stringify(nextAction),
      new Date(),
      id,
    ]);
    await connection.execute('INSERT INTO outbox (event_id, merchant_id, transaction_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      newId('evt'),
      merchantId,
      id,
      'transaction.updated',
      JSON.stringify({ id, status: 'WAITING_INPUT' }),
      new Date(),
    ]);
    await connection.query('COMMIT');
  } finally {
    connection.release();
  }
  return { id, status: 'WAITING_INPUT', nextAction };
}

createServer((req, res) => {
  if (req.url === '/health') return void res.end('ok');
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    deposit(JSON.parse(body) as Deposit).then(
      (result) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
}).listen(config.port, '127.0.0.1');
