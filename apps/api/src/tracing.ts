import { startTracingIfConfigured } from '../../shared/tracing';

// Imported first by main.ts, so instrumented modules are required after their instrumentations.
startTracingIfConfigured('payhub-api');
