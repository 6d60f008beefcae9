export * from './queues';
export * from './queue-prefix';
export * from './dead-letters';
export * from './queue.module';
