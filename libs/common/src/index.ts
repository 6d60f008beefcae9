export * from './errors';
export * from './money';
export * from './crypto';
export * from './config';
export * from './ids';
export * from './http';
export * from './logging';
export * from './queues';
