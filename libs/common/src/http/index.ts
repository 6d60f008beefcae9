export * from './validation.pipe';
export * from './error-response';
export * from './all-exceptions.filter';
export * from './http-client';
export * from './body-depth';
export * from './unavailable';
export * from './route-methods';
export * from './json-bodies';
