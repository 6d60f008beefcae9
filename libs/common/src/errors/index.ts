export * from './error-codes';
export * from './error-http.mapper';
export * from './domain-error';
