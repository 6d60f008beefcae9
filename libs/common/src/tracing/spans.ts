/** Attribute values a span may carry: bounded facts and ids (ids are fine on spans, never on metric labels). */
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface SpanHandle {
  end(error?: Error): void;
}

export interface SpanRunner {
  /** Runs `fn` inside a new active span, so spans opened within (MySQL, HTTP) become its children. */
  run<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>): Promise<T>;
  /** A span closed by the caller, for work that starts and ends in separate callbacks (Bull jobs). */
  start(name: string, attributes: SpanAttributes): SpanHandle;
  /** Adds attributes to the span active now (the HTTP request's), if any. */
  annotate(attributes: SpanAttributes): void;
}

/**
 * The seam between payhub code and OpenTelemetry: code wraps work in `inSpan`, which costs one
 * null check while tracing is off. Only the tracing bootstrap (loaded when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set) installs a runner, so without it no OpenTelemetry module is ever loaded.
 */
let runner: SpanRunner | null = null;
const NO_SPAN: SpanHandle = { end: () => undefined };

export function installSpanRunner(next: SpanRunner | null): void {
  runner = next;
}

export function tracingActive(): boolean {
  return runner !== null;
}

export function inSpan<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>): Promise<T> {
  return runner ? runner.run(name, attributes, fn) : fn();
}

export function startSpan(name: string, attributes: SpanAttributes): SpanHandle {
  return runner ? runner.start(name, attributes) : NO_SPAN;
}

export function annotateSpan(attributes: SpanAttributes): void {
  runner?.annotate(attributes);
}
