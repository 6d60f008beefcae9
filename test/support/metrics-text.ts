/**
 * Reads the Prometheus text exposition format into series keyed `name{a="1",b="2"}` (labels sorted),
 * so tests can compare two scrapes and assert exactly which series moved and by how much.
 */
export type Scrape = Map<string, number>;

export function parseMetrics(text: string): Scrape {
  const series: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = [...(match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    series.set(seriesKey(match[1], labels), Number(match[4]));
  }
  return series;
}

export function seriesKey(name: string, labels: string[] | Record<string, string> = []): string {
  const list = Array.isArray(labels)
    ? labels
    : Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .sort();
  return list.length ? `${name}{${list.join(',')}}` : name;
}

/** Series whose value changed between two scrapes (new series count from 0), filtered by `keep`. */
export function deltas(before: Scrape, after: Scrape, keep: (key: string) => boolean): Record<string, number> {
  const moved: Record<string, number> = {};
  for (const [key, value] of after) {
    if (!keep(key)) continue;
    const delta = value - (before.get(key) ?? 0);
    if (delta !== 0) moved[key] = Number(delta.toFixed(6));
  }
  return moved;
}

/** Metric names (histograms by their base name) present in a scrape. */
export function metricNames(scrape: Scrape): Set<string> {
  const names = new Set<string>();
  for (const key of scrape.keys()) {
    const name = key.split('{')[0];
    names.add(name);
    names.add(name.replace(/_(bucket|sum|count)$/, ''));
  }
  return names;
}
