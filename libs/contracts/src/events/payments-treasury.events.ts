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

const payrollFixture = {
  payrollId: '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
  submissionId: '2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f',
  programmeCode: 'idp-living-allowance',
  month: '2026-11',
};

/** A payroll was accrued and asks e-budget for the funds check (e-budget answers with funds.reserved or funds.rejected). */
export const PayrollSubmittedV1 = defineEvent({
  producer: 'payments-treasury',
  aggregateType: 'payroll',
  event: 'submitted',
  version: 1,
  consumers: ['e-budget'],
  description: 'A monthly payroll (відомість) with its control totals is submitted for the funds check; each submission has its own id.',
  payload: Type.Object(
    {
      payrollId: Uuid,
      submissionId: Uuid,
      programmeCode: Type.String({ minLength: 1 }),
      month: PeriodMonth,
      lineCount: Type.Integer({ minimum: 0 }),
      accruedKopiyky: Kopiyky,
      arrearsKopiyky: Kopiyky,
      deductionsKopiyky: Kopiyky,
      totalKopiyky: Kopiyky,
      regions: Type.Array(
        Type.Object(
          { region: Type.String({ pattern: '^UA[0-9]{2}$' }), lineCount: Type.Integer({ minimum: 0 }), totalKopiyky: Kopiyky },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  fixture: {
    ...payrollFixture,
    lineCount: 1,
    accruedKopiyky: '200000',
    arrearsKopiyky: '0',
    deductionsKopiyky: '0',
    totalKopiyky: '200000',
    regions: [{ region: 'UA80', lineCount: 1, totalKopiyky: '200000' }],
  },
});

/** Funds were reserved: the payroll is approved and its payments created. */
export const PayrollApprovedV1 = defineEvent({
  producer: 'payments-treasury',
  aggregateType: 'payroll',
  event: 'approved',
  version: 1,
  consumers: [],
  description: 'The payroll passed the funds check and is approved for payment; payments (bank and post) are created.',
  payload: Type.Object(
    {
      payrollId: Uuid,
      submissionId: Uuid,
      reservationId: Uuid,
      programmeCode: Type.String({ minLength: 1 }),
      month: PeriodMonth,
      paymentCount: Type.Integer({ minimum: 0 }),
      totalKopiyky: Kopiyky,
    },
    { additionalProperties: false },
  ),
  fixture: { ...payrollFixture, reservationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', paymentCount: 1, totalKopiyky: '200000' },
});

/** The funds check failed: the payroll is held with the reason (it can be resubmitted once appropriations allow). */
export const PayrollHeldV1 = defineEvent({
  producer: 'payments-treasury',
  aggregateType: 'payroll',
  event: 'held',
  version: 1,
  consumers: [],
  description: 'The payroll is held: e-budget rejected the funds check; the reason says why.',
  payload: Type.Object(
    {
      payrollId: Uuid,
      submissionId: Uuid,
      programmeCode: Type.String({ minLength: 1 }),
      month: PeriodMonth,
      totalKopiyky: Kopiyky,
      reasonCode: Type.String({ minLength: 1 }),
      reason: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    ...payrollFixture,
    totalKopiyky: '1200000',
    reasonCode: 'APPROPRIATION_EXCEEDED',
    reason: 'payroll exceeds the available appropriation',
  },
});

/**
 * A batch of payments left the treasury: a pain.001 file to one bank (by МФО) or a post-office list.
 * One event per batch, not per payment (a payroll has up to millions of payments); settlement and
 * return are per payment.
 */
export const PaymentBatchSentV1 = defineEvent({
  producer: 'payments-treasury',
  aggregateType: 'payment-batch',
  event: 'sent',
  version: 1,
  key: 'batch id',
  consumers: [],
  description: 'Payments were sent in a batch: a pain.001.001.09 file to one bank (МФО) or a list to the post.',
  payload: Type.Object(
    {
      batchId: Uuid,
      payrollId: Uuid,
      programmeCode: Type.String({ minLength: 1 }),
      month: PeriodMonth,
      channel: Type.Union([Type.Literal('bank'), Type.Literal('post')]),
      mfo: Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()]),
      messageId: Type.String({ minLength: 1, maxLength: 35 }),
      paymentCount: Type.Integer({ minimum: 0 }),
      totalKopiyky: Kopiyky,
      sentOn: Type.String({ format: 'date' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    batchId: '3d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a',
    payrollId: '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
    programmeCode: 'idp-living-allowance',
    month: '2026-11',
    channel: 'bank',
    mfo: '322313',
    messageId: 'PT3d4e5f6a7b8c4d9e8f0a2b3c4d5e6f7a',
    paymentCount: 1,
    totalKopiyky: '200000',
    sentOn: '2026-12-03',
  },
});

/** A payment came back (closed account, wrong details, undeliverable by post); it is re-issued when the details are corrected. */
export const PaymentReturnedV1 = defineEvent({
  producer: 'payments-treasury',
  aggregateType: 'payment',
  event: 'returned',
  version: 1,
  key: 'assignment id',
  consumers: ['e-budget'],
  description: 'A payment was returned by the bank (camt.053/054 return reason, e.g. AC04 closed account) or the post.',
  payload: Type.Object(
    {
      paymentId: Uuid,
      assignmentId: Uuid,
      recipientPersonId: Uuid,
      programmeCode: Type.String(),
      month: PeriodMonth,
      amountKopiyky: Kopiyky,
      reasonCode: Type.String({ minLength: 1 }),
      returnedOn: Type.String({ format: 'date' }),
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
    reasonCode: 'AC04',
    returnedOn: '2026-12-06',
  },
});

/** Events the social treasury publishes (add new contracts here). */
export const PaymentsTreasuryEvents = [
  PaymentSettledV1,
  PayrollSubmittedV1,
  PayrollApprovedV1,
  PayrollHeldV1,
  PaymentBatchSentV1,
  PaymentReturnedV1,
];
