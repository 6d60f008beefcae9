import type * as OtelApi from '@opentelemetry/api';
// Relative imports of the two small modules needed, not '@payhub/common': its index loads undici and
// ioredis, which must be required only after their instrumentations are registered.
import { loadConfig } from '../../libs/common/src/config/app-config';
import { installSpanRunner, SpanAttributes } from '../../libs/common/src/tracing/spans';

/**
 * OpenTelemetry for one process, started before anything else is required (main.ts imports its
 * bootstrap first): with OTEL_EXPORTER_OTLP_ENDPOINT set, traces of incoming and outgoing HTTP (provider
 * calls, webhooks), MySQL, Redis, provider operations and Bull jobs go to `<endpoint>/v1/traces` over
 * OTLP/HTTP. Unset, this requires no OpenTelemetry module at all.
 */
export function startTracingIfConfigured(serviceName: string): void {
  let endpoint: string | null;
  try {
    endpoint = loadConfig().otlpEndpoint;
  } catch {
    return; // preflight reports the invalid environment
  }
  if (!endpoint) return;

  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require('@opentelemetry/api') as typeof OtelApi;
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BatchSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { MySQL2Instrumentation } = require('@opentelemetry/instrumentation-mysql2') as typeof import('@opentelemetry/instrumentation-mysql2');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }), scheduledDelayMillis: 1000 })],
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // The exporter's own requests are not traced.
      new HttpInstrumentation({ ignoreOutgoingRequestHook: (request) => String(request.path ?? '').startsWith('/v1/traces') }),
      new UndiciInstrumentation(),
      new MySQL2Instrumentation(),
      new IORedisInstrumentation(),
    ],
  });

  const tracer = api.trace.getTracer('payhub');
  const failed = (span: OtelApi.Span, error: unknown) => {
    span.recordException(error as Error);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: (error as Error)?.message });
  };
  installSpanRunner({
    run: (name, attributes, fn) =>
      tracer.startActiveSpan(name, { attributes: defined(attributes) }, async (span) => {
        try {
          return await fn();
        } catch (error) {
          failed(span, error);
          throw error;
        } finally {
          span.end();
        }
      }),
    start: (name, attributes) => {
      const span = tracer.startSpan(name, { attributes: defined(attributes) });
      return { end: (error) => (error && failed(span, error), span.end()) };
    },
    annotate: (attributes) => api.trace.getActiveSpan()?.setAttributes(defined(attributes)),
  });
  process.once('beforeExit', () => void provider.shutdown());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void provider.forceFlush());
}

function defined(attributes: SpanAttributes): OtelApi.Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as OtelApi.Attributes;
}
