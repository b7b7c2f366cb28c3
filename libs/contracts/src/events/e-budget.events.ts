/** Events e-budget publishes (add new contracts here). */
import { Type } from '@sinclair/typebox';
import { defineEvent, type EventContract } from '../envelope';
import { Kopiyky, PeriodMonth, Uuid } from './common';

/**
 * The answer to `payments-treasury.payroll.submitted.v1` when the appropriation covers the payroll:
 * the amount is blocked (reserved) against the programme's appropriation for the month.
 */
export const FundsReservedV1 = defineEvent({
  producer: 'e-budget',
  aggregateType: 'funds',
  event: 'reserved',
  version: 1,
  key: 'payroll id',
  consumers: ['payments-treasury'],
  description: 'Funds check passed: the payroll amount is reserved against the appropriation of the programme and month.',
  payload: Type.Object(
    {
      reservationId: Uuid,
      payrollId: Uuid,
      submissionId: Uuid,
      programmeCode: Type.String({ minLength: 1 }),
      month: PeriodMonth,
      amountKopiyky: Kopiyky,
      appropriationKopiyky: Kopiyky,
      availableAfterKopiyky: Kopiyky,
    },
    { additionalProperties: false },
  ),
  fixture: {
    reservationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    payrollId: '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
    submissionId: '2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f',
    programmeCode: 'idp-living-allowance',
    month: '2026-11',
    amountKopiyky: '200000',
    appropriationKopiyky: '1000000',
    availableAfterKopiyky: '800000',
  },
});

/** The answer to a payroll the appropriation does not cover: the treasury holds the payroll with this reason. */
export const FundsRejectedV1 = defineEvent({
  producer: 'e-budget',
  aggregateType: 'funds',
  event: 'rejected',
  version: 1,
  key: 'payroll id',
  consumers: ['payments-treasury'],
  description: 'Funds check failed (appropriation exceeded, unknown programme, no appropriation): nothing is reserved.',
  payload: Type.Object(
    {
      payrollId: Uuid,
      submissionId: Uuid,
      programmeCode: Type.String({ minLength: 1 }),
      month: PeriodMonth,
      requestedKopiyky: Kopiyky,
      availableKopiyky: Kopiyky,
      reasonCode: Type.Union([Type.Literal('APPROPRIATION_EXCEEDED'), Type.Literal('NO_APPROPRIATION'), Type.Literal('PROGRAMME_UNKNOWN')]),
      reason: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    payrollId: '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
    submissionId: '2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f',
    programmeCode: 'idp-living-allowance',
    month: '2026-11',
    requestedKopiyky: '1200000',
    availableKopiyky: '1000000',
    reasonCode: 'APPROPRIATION_EXCEEDED',
    reason: 'payroll 12000.00 UAH exceeds the available appropriation 10000.00 UAH of idp-living-allowance for 2026-11',
  },
});

export const EBudgetEvents: EventContract[] = [FundsReservedV1, FundsRejectedV1];
