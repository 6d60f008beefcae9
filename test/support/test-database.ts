/** Tests run against their own database; its name must contain "test" so a real one is never wiped. */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/payhub_test';
  const name = new URL(url).pathname.slice(1);
  if (!name.includes('test')) throw new Error(`TEST_DATABASE_URL must name a database containing "test" (got ${name})`);
  return url;
}
