import { Readable } from 'node:stream';

/** One CSV field (RFC 4180); a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/**
 * Streams every page of a cursor-paginated read as CSV: one page in memory at a time, the next read
 * only when the client has taken the previous one (backpressure through the async generator).
 */
export function csvStream<T>(
  header: string[],
  row: (item: T) => unknown[],
  page: (cursor: string | undefined) => Promise<{ data: T[]; nextCursor: string | null }>,
): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(header);
    let cursor: string | undefined;
    do {
      const next = await page(cursor);
      if (next.data.length) yield next.data.map((item) => csvLine(row(item))).join('');
      cursor = next.nextCursor ?? undefined;
    } while (cursor);
  }
  return Readable.from(lines());
}
