export * from './refund.use-case';
