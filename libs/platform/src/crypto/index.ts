export * from './field-cipher';
export type { FieldDecryptPool } from './field-decrypt-pool';
export * from './key-wrapper';
export * from './data-keys';
export * from './sealed';
export * from './payment-seal';
export * from './key-rotation';
