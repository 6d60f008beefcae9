import { createServer } from 'node:net';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { toErrorResponse } from './error-response';
import { isBackendUnavailable } from './unavailable';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('isBackendUnavailable', () => {
  it('recognises the errors the real drivers raise when MySQL or Redis cannot be reached, as 503', async () => {
    const port = await closedPort();
    const mysqlError = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 500 }).then(
      () => null,
      (error: unknown) => error,
    );
    const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    const redisError = await redis
      .connect()
      .then(() => redis.get('x'))
      .then(
        () => null,
        (error: unknown) => error,
      );
    const afterClose = await redis.get('x').then(
      () => null,
      (error: unknown) => error,
    );
    redis.disconnect();
    for (const error of [mysqlError, redisError, afterClose]) {
      expect(isBackendUnavailable(error)).toBe(true);
      expect(toErrorResponse(error, 'req_1')).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', requestId: 'req_1' } } });
    }
  });

  it('leaves query errors and ordinary failures alone', () => {
    expect(isBackendUnavailable(Object.assign(new Error("Duplicate entry 'x'"), { code: 'ER_DUP_ENTRY' }))).toBe(false);
    expect(isBackendUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isBackendUnavailable('ECONNREFUSED')).toBe(false);
  });
});
