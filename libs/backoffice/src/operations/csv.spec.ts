import { csvField, csvLine, csvStream } from './csv';

describe('CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, undefined, 12, { k: 1 }])).toBe('a,"b,c","say ""hi""","two\nlines",,,12,"{""k"":1}"\r\n');
    for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)']) expect(csvField(formula)).toBe(`'${formula}`);
  });

  it('streams every page, asking for the next one only after the previous was read', async () => {
    const asked: Array<string | undefined> = [];
    const pages: Record<string, { data: number[]; nextCursor: string | null }> = {
      start: { data: [1, 2], nextCursor: 'p2' },
      p2: { data: [3, 4], nextCursor: 'p3' },
      p3: { data: [5], nextCursor: null },
    };
    const stream = csvStream(
      ['n'],
      (n: number) => [n],
      async (cursor) => {
        asked.push(cursor);
        return pages[cursor ?? 'start'];
      },
    );
    const chunks: string[] = [];
    for await (const chunk of stream) {
      chunks.push(String(chunk));
      // One page read ahead at most: the generator waits for the reader.
      expect(asked.length).toBeLessThanOrEqual(chunks.length + 1);
    }
    expect(chunks.join('')).toBe('n\r\n1\r\n2\r\n3\r\n4\r\n5\r\n');
    expect(asked).toEqual([undefined, 'p2', 'p3']);
  });
});
