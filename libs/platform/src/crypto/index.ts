export * from './field-cipher';
export * from './key-wrapper';
export * from './data-keys';
export * from './sealed';
export * from './payment-seal';
export * from './key-rotation';
