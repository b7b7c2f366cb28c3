import { Type } from '@sinclair/typebox';
import { defineEvent } from '../envelope';
import { Kopiyky, PeriodMonth, Uuid } from './common';

export const PaymentSettledV1 = defineEvent({
  producer: 'payments-treasury',
  aggregateType: 'payment',
  event: 'settled',
  version: 1,
  key: 'assignment id',
  consumers: ['social-register', 'e-budget'],
  description: 'A payment reached the recipient (bank statement or post office confirmation): the use of an entitlement.',
  payload: Type.Object(
    {
      paymentId: Uuid,
      assignmentId: Uuid,
      recipientPersonId: Uuid,
      programmeCode: Type.String(),
      month: PeriodMonth,
      amountKopiyky: Kopiyky,
      settledOn: Type.String({ format: 'date' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    paymentId: '2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819',
    assignmentId: '7a0d5b1c-2e3f-4a5b-8c6d-7e8f9a0b1c2d',
    recipientPersonId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    programmeCode: 'idp-living-allowance',
    month: '2026-11',
    amountKopiyky: '200000',
    settledOn: '2026-12-05',
  },
});

/** Events the social treasury publishes (add new contracts here). */
export const PaymentsTreasuryEvents = [PaymentSettledV1];
