import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of payments-treasury beyond the platform's (see BaseConfigSchema). */
export const PaymentsTreasuryConfigSchema = Type.Object({
  TREASURY_DEBTOR_IBAN: Type.String({ pattern: '^UA[0-9]{27}$', default: 'UA938999980000035221139001014', description: 'the paying treasury account (debtor of pain.001)' }),
  TREASURY_DEBTOR_NAME: Type.String({ minLength: 1, maxLength: 140, default: 'Державна казначейська служба України' }),
  TREASURY_DEBTOR_EDRPOU: Type.String({ pattern: '^[0-9]{8}$', default: '37567646', description: 'ЄДРПОУ code of the paying body' }),
  /** Deduction of an overpayment from a monthly amount without the recipient's consent: at most this percentage. */
  TREASURY_CAMT053_XSD: Type.String({ default: '', description: 'path of camt.053.001.08.xsd: statements are validated against it before import (empty: not validated)' }),
  TREASURY_DEDUCTION_LIMIT_PERCENT: Type.Integer({ minimum: 0, maximum: 100, default: 20 }),
});
export type PaymentsTreasuryConfig = BaseConfig & Static<typeof PaymentsTreasuryConfigSchema>;
