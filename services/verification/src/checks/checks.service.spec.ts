import { initialStatus, toFindingPayload } from './checks.service';
import type { FindingRecord } from '../findings/findings.repository';

describe(initialStatus.name, () => {
  it('actions a stop-payment finding at once when a death is found in any check', () => {
    expect(initialStatus('current', 'stop_payment')).toBe('actioned');
    expect(initialStatus('retrospective', 'stop_payment')).toBe('actioned');
  });

  it('leaves a refusal at application to processing and a review at application to the officer', () => {
    expect(initialStatus('preventive', 'refuse')).toBe('actioned');
    expect(initialStatus('preventive', 'review')).toBe('open');
  });

  it('queues suspensions and reviews of recipients for an officer when found by a current or retrospective check', () => {
    expect(initialStatus('current', 'suspend')).toBe('open');
    expect(initialStatus('retrospective', 'review')).toBe('open');
  });

  it('carries out at once what the act leaves no discretion on and queues what it leaves to the officer', () => {
    expect(initialStatus('current', 'stop_payment', 'none')).toBe('actioned'); // abroad over 30/60 days, death
    expect(initialStatus('current', 'stop_payment', 'officer')).toBe('open'); // deposits, vehicles, purchases, housing, 90 days
    expect(initialStatus('retrospective', 'stop_payment', 'officer')).toBe('open');
    expect(initialStatus('preventive', 'refuse', 'none')).toBe('actioned');
    expect(initialStatus('preventive', 'review', 'none')).toBe('open');
  });
});

describe(toFindingPayload.name, () => {
  const record: FindingRecord = {
    findingId: '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    rule: 'death',
    recommendedAction: 'stop_payment',
    effectiveDate: '2026-12-10',
    discretion: 'none',
    legalBasis: 'КМУ № 332',
    evidence: [{ source: 'crvs', reference: 'r', facts: { deathDate: '2026-12-10' } }],
    kind: 'current',
    status: 'actioned',
    katottg: 'UA80000000000093317',
    assignmentIds: [],
    requestId: null,
    runId: null,
    periodFrom: '2026-12-10',
    periodTo: '2026-12-10',
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    createdAt: '2026-12-11T00:00:00.000Z',
  };

  it('keeps only the contract fields when a stored finding is published', () => {
    expect(Object.keys(toFindingPayload(record)).sort()).toEqual([
      'discretion',
      'effectiveDate',
      'evidence',
      'findingId',
      'legalBasis',
      'personId',
      'recommendedAction',
      'rule',
    ]);
    expect(toFindingPayload(record)).toMatchObject({ discretion: 'none', legalBasis: 'КМУ № 332' });
  });

  it('leaves out discretion and legal basis when a finding raised before they were recorded is published', () => {
    const old = { ...record, discretion: null, legalBasis: null };
    expect(Object.keys(toFindingPayload(old)).sort()).toEqual([
      'effectiveDate',
      'evidence',
      'findingId',
      'personId',
      'recommendedAction',
      'rule',
    ]);
  });
});
