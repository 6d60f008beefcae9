import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

/** Import boundaries are dependency-cruiser's (.dependency-cruiser.js, `npm run depcruise`); these are the rules it cannot express. */
describe('architecture boundaries', () => {
  it('only libs/transactions writes the transaction tables', () => {
    const tables = ['TransactionEntity', 'TransactionEventEntity', 'OutboxEntity'];
    const writes = new RegExp(
      `(insertRows|updateRows)\\([^,]+,\\s*(${tables.join('|')})\\b|\\.(insert|update)\\((${tables.join('|')})\\b|\\.(insert|update|delete)\\(\\)\\.(into|from)?\\(?(${tables.join('|')})\\b|getRepository\\((${tables.join('|')})\\)\\.(save|insert|update|delete|increment|decrement)\\(`,
    );
    // The detector itself must catch the usual ways of writing, or the check proves nothing.
    for (const write of [
      'insertRows(manager, TransactionEntity, row)',
      "updateRows(this.dataSource, OutboxEntity, {}, 'id = 1', {})",
      'getRepository(TransactionEntity).save(tx)',
      'this.batch.insert(OutboxEntity, row)',
    ]) {
      expect(writes.test(write)).toBe(true);
    }
    const offences: string[] = [];
    for (const dir of ['apps', 'libs', 'scripts']) {
      for (const file of sources(join(ROOT, dir))) {
        if (file.includes(join('libs', 'transactions', 'src'))) continue;
        // The benchmark's yardstick: a deliberately framework-free deposit, never part of payhub.
        if (file.endsWith(join('scripts', 'bench-baseline-server.ts'))) continue;
        const text = readFileSync(file, 'utf8');
        if (writes.test(text) || /UPDATE\s+transactions\b|INSERT\s+INTO\s+(transactions|transaction_events|outbox)\b/i.test(text))
          offences.push(relative(ROOT, file));
      }
    }
    expect(offences).toEqual([]);
  });

  it('provider adapters have one transport: only ProviderHttp calls httpCall', () => {
    const offences: string[] = [];
    for (const file of sources(join(ROOT, 'libs', 'providers'))) {
      if (file.endsWith(join('toolkit', 'provider-http.ts'))) continue;
      if (/\bhttpCall\b/.test(readFileSync(file, 'utf8'))) offences.push(relative(ROOT, file));
    }
    expect(offences).toEqual([]);
  });

  it('nothing outside the config loader reads process.env', () => {
    const offences: string[] = [];
    for (const dir of ['apps', 'libs']) {
      for (const file of sources(join(ROOT, dir))) {
        if (file.endsWith(join('config', 'app-config.ts'))) continue;
        if (/process\.env\b/.test(readFileSync(file, 'utf8'))) offences.push(relative(ROOT, file));
      }
    }
    expect(offences).toEqual([]);
  });
});
