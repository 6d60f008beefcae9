export * from './payment-blocks.dto';
export * from './payment-request.dto';
