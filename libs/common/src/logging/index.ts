export * from './logger-options';
export * from './request-logging';
export * from './loggable-error';
