import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentTerminatedV2,
  FindingDecidedV1,
  FindingRaisedV1,
  StatusGrantedV1,
  VerificationRequestedV1,
  type PayloadOf,
} from '@eisss/contracts';
import { expectEventually } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { KATOTTG, ProcessingHarness, tokens } from './processing-harness';

type Finding = PayloadOf<typeof FindingRaisedV1>['finding'];
type AssignmentPayload = PayloadOf<typeof AssignmentChangedV2>;

/**
 * Verification's findings act on assignments as the IDP rule set says: at once where the act leaves no
 * discretion, after an officer's acceptance otherwise, never when rejected, once whatever is delivered
 * again; months paid without right come out as negative differences (overpayments at the treasury).
 * Findings are published as verification publishes them.
 */
describe('social-processing: findings that act', () => {
  let h: ProcessingHarness;

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2, AssignmentTerminatedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** An IDP family (an adult and a child) applying on 2026-03-10: 5 000 UAH a month for 2026-03..2026-08. */
  async function family(): Promise<{ applicant: string; child: string; assignmentId: string }> {
    const applicant = await h.idpPerson('1985-04-10');
    const child = await h.idpPerson('2015-06-01');
    const res = await h.submit(
      h.application(applicant, {
        household: {
          members: [
            { personId: applicant, role: 'applicant', relation: 'self' },
            { personId: child, role: 'member', relation: 'child' },
          ],
        },
      }),
    );
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    await h.decideByTwo(res.body.id);
    const granted = await expectEventually(
      () => {
        const e = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === res.body.id)[0];
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 20000 },
    );
    expect(granted.payload.assignment.months.map((m) => m.amountKopiyky)).toEqual(Array(6).fill('500000'));
    return { applicant, child, assignmentId: granted.payload.assignment.assignmentId };
  }

  function finding(personId: string, rule: string, over: Partial<Finding> = {}): Finding {
    return {
      findingId: randomUUID(),
      personId,
      rule,
      recommendedAction: 'stop_payment',
      effectiveDate: '2026-04-15',
      evidence: [{ source: 'border-guard', reference: `dpsu-${randomUUID()}`, facts: { direction: 'exit', crossedOn: '2026-03-15' } }],
      ...over,
    };
  }

  const raise = (f: Finding, assignmentIds: string[], kind: 'current' | 'retrospective' = 'current') =>
    h.publish(FindingRaisedV1, { finding: f, assignmentIds, kind }, f.personId);
  const decide = (f: Finding, assignmentIds: string[], decision: 'accepted' | 'rejected') =>
    h.publish(
      FindingDecidedV1,
      {
        finding: f,
        assignmentIds,
        decision,
        reason: decision === 'accepted' ? 'підтверджено довідкою ДПСУ' : 'документ про лікування',
        decidedBy: 'verifier-1',
        decidedAt: '2026-11-24T09:30:00.000Z',
      },
      f.personId,
    );

  const versionEvents = async (assignmentId: string) =>
    (
      await h.sql.query(
        `SELECT version, event_type, reason, differences FROM social_processing.assignment_version WHERE assignment_id = $1 ORDER BY version`,
        [assignmentId],
      )
    ).rows;
  const stored = async (findingId: string) =>
    (await h.sql.query(`SELECT status, discretion, actions, decision FROM social_processing.finding WHERE finding_id = $1`, [findingId]))
      .rows[0];
  const consumed = (eventId: string) =>
    expectEventually(
      async () => {
        const r = await h.sql.query(
          `SELECT count(*)::int AS n FROM social_processing.inbox WHERE consumer_group = 'social-processing.findings' AND event_id = $1`,
          [eventId],
        );
        expect(r.rows[0].n).toBe(1);
      },
      { timeoutMs: 20000 },
    );

  function published<C extends typeof AssignmentChangedV2>(contract: C, assignmentId: string, version: number) {
    return expectEventually(
      () => {
        const e = h.published(
          contract,
          (x) => x.payload.assignment.assignmentId === assignmentId && x.payload.assignment.version === version,
        )[0];
        expect(e).toBeDefined();
        return e!.payload as AssignmentPayload;
      },
      { timeoutMs: 20000 },
    );
  }

  const diffs = (months: string[], previous: string, next: string) =>
    months.map((month) => ({
      month,
      previousKopiyky: previous,
      newKopiyky: next,
      differenceKopiyky: (BigInt(next) - BigInt(previous)).toString(),
    }));

  it("stops a member's share from the month after the stay went over the limit when the act leaves no discretion, with negative differences and the finding cited", async () => {
    const { child, assignmentId } = await family();
    const f = finding(child, 'abroad-over-30-days', { discretion: 'none', legalBasis: 'КМУ № 332, п. 8' });
    await raise(f, [assignmentId]);
    const changed = await published(AssignmentChangedV2, assignmentId, 2);
    expect(changed.effectiveFrom).toBe('2026-05');
    expect(changed.assignment.status).toBe('active');
    expect(changed.assignment.months.map((m) => m.amountKopiyky)).toEqual(['500000', '500000', '200000', '200000', '200000', '200000']);
    expect(changed.differences).toEqual(diffs(['2026-05', '2026-06', '2026-07', '2026-08'], '500000', '200000'));
    expect(changed.reason!.code).toBe('FINDING_ABROAD');
    expect(changed.reason!.text).toContain(`finding ${f.findingId}`);
    expect(changed.reason!.text).toContain('rule abroad-over-30-days');
    expect(changed.reason!.text).toContain('№ 332, п. 8');
    expect(changed.reason!.text).toContain('without restoration');
    expect(changed.assignment.months[2]!.explanation).toContain(`finding ${f.findingId}`);

    const card = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
    expect(card.status).toBe(200);
    const note = JSON.stringify(card.body);
    expect(note).toContain('idp.finding.abroad-30-60');
    expect(note).toContain(f.findingId);
    expect(await stored(f.findingId)).toMatchObject({
      status: 'acted',
      discretion: 'none',
      actions: [expect.objectContaining({ assignmentId, outcome: 'changed', scope: 'member', fromMonth: '2026-05', version: 2 })],
    });
  });

  it('waits for an officer where the act leaves discretion, and acts when the finding is accepted', async () => {
    const { child, assignmentId } = await family();
    const f = finding(child, 'abroad-over-30-days'); // no discretion on the finding: the act's default (officer)
    const raised = await raise(f, [assignmentId]);
    await consumed(raised.eventId);
    expect(await stored(f.findingId)).toMatchObject({ status: 'awaiting_decision', discretion: 'officer', actions: [] });
    expect(await versionEvents(assignmentId)).toHaveLength(1);

    await decide(f, [assignmentId], 'accepted');
    const changed = await published(AssignmentChangedV2, assignmentId, 2);
    expect(changed.effectiveFrom).toBe('2026-05');
    expect(changed.differences).toEqual(diffs(['2026-05', '2026-06', '2026-07', '2026-08'], '500000', '200000'));
    expect(changed.reason!.text).toContain('accepted by verifier-1');
    expect(await stored(f.findingId)).toMatchObject({ status: 'acted', decision: { decision: 'accepted', decidedBy: 'verifier-1' } });
  });

  it('changes nothing when the officer rejects the finding', async () => {
    const { applicant, assignmentId } = await family();
    const f = finding(applicant, 'vehicle', {
      effectiveDate: '2026-04-02',
      evidence: [{ source: 'vehicle-register', reference: 'mvs-1', facts: { manufactureYear: 2024 } }],
    });
    await raise(f, [assignmentId]);
    const rejected = await decide(f, [assignmentId], 'rejected');
    await consumed(rejected.eventId);
    expect(await stored(f.findingId)).toMatchObject({
      status: 'rejected',
      decision: { decision: 'rejected', reason: 'документ про лікування' },
      actions: [],
    });
    // A late acceptance of the same finding does not undo the rejection.
    const late = await decide(f, [assignmentId], 'accepted');
    await consumed(late.eventId);
    expect(await versionEvents(assignmentId)).toHaveLength(1);
    const a = await h.sql.query(`SELECT status, version FROM social_processing.assignment WHERE id = $1`, [assignmentId]);
    expect(a.rows[0]).toEqual({ status: 'active', version: 1 });
  });

  it('acts once on a finding delivered again and then decided', async () => {
    const { applicant, assignmentId } = await family();
    const f = finding(applicant, 'deposit-over-threshold', {
      discretion: 'none',
      effectiveDate: '2026-06-01',
      evidence: [{ source: 'bank-deposits', reference: 'dep-1', facts: { balanceKopiyky: '15000000' } }],
    });
    await raise(f, [assignmentId]);
    const terminated = await published(AssignmentTerminatedV2, assignmentId, 2);
    expect(terminated.effectiveFrom).toBe('2026-06'); // held on the 1st day of June: June is not paid
    expect(terminated.assignment).toMatchObject({ status: 'terminated', periodTo: '2026-05' });
    expect(terminated.differences).toEqual(diffs(['2026-06', '2026-07', '2026-08'], '500000', '0'));

    const again = await raise(f, [assignmentId]); // another delivery of the same finding (new event id)
    const accepted = await decide(f, [assignmentId], 'accepted');
    await consumed(again.eventId);
    await consumed(accepted.eventId);
    expect((await versionEvents(assignmentId)).map((v) => v.event_type)).toEqual([
      'social-processing.assignment.granted',
      'social-processing.assignment.terminated',
    ]);
    const outbox = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.outbox WHERE message_key = $1`, [assignmentId]);
    expect(outbox.rows[0].n).toBe(2);
    expect((await stored(f.findingId)).actions).toHaveLength(1);
  });

  it('turns the months already paid into overpayments for a retrospective finding (the whole assignment, from the month after the purchase)', async () => {
    const { applicant, assignmentId } = await family();
    const f = finding(applicant, 'purchase-over-threshold', {
      discretion: 'none',
      effectiveDate: '2026-03-20',
      evidence: [{ source: 'notary', reference: 'deal-1', facts: { amountKopiyky: '25000000', kind: 'flat' } }],
    });
    await raise(f, [assignmentId], 'retrospective');
    const terminated = await published(AssignmentTerminatedV2, assignmentId, 2);
    expect(terminated.effectiveFrom).toBe('2026-04');
    expect(terminated.assignment).toMatchObject({ status: 'terminated', periodTo: '2026-03' });
    expect(terminated.assignment.months.map((m) => m.month)).toEqual(['2026-03']);
    // Every month from April was paid without right (the term is already over): each is a negative difference.
    expect(terminated.differences).toEqual(diffs(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08'], '500000', '0'));
    expect(terminated.reason!.code).toBe('FINDING_PURCHASE');
    expect(terminated.reason!.text).toMatch(new RegExp(`finding ${f.findingId} \\(rule purchase-over-threshold, retrospective`));
    expect(terminated.reason!.text).toContain('п. 7-1 пп. 2');
    const versions = await versionEvents(assignmentId);
    expect(versions[1]).toMatchObject({ event_type: 'social-processing.assignment.terminated', reason: terminated.reason });
  });

  it('stops the whole family from the first month of the term when the stay began before it, and changes nothing for a finding with no rule', async () => {
    const { applicant, child, assignmentId } = await family();
    const none = finding(child, 'duplicate-registration', { discretion: 'none', effectiveDate: null });
    const ignored = await raise(none, [assignmentId]);
    await consumed(ignored.eventId);
    expect(await stored(none.findingId)).toMatchObject({ status: 'acted', actions: [expect.objectContaining({ outcome: 'no_rule' })] });
    expect(await versionEvents(assignmentId)).toHaveLength(1);

    await raise(
      finding(child, 'abroad-over-30-days', { discretion: 'none', effectiveDate: '2026-01-20' }),
      [assignmentId],
      'retrospective',
    );
    const first = await published(AssignmentChangedV2, assignmentId, 2);
    expect(first.differences).toEqual(diffs(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'], '500000', '200000'));
    await raise(
      finding(applicant, 'abroad-over-30-days', { discretion: 'none', effectiveDate: '2026-01-20' }),
      [assignmentId],
      'retrospective',
    );
    const last = await published(AssignmentTerminatedV2, assignmentId, 3);
    expect(last.assignment.months).toEqual([]);
    expect(last.differences).toEqual(diffs(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'], '200000', '0'));
  });

  it("sends the persons' statuses valid on the date of application with the verification request", async () => {
    const applicant = await h.idpPerson('1985-04-10');
    const child = await h.idpPerson('2015-06-01');
    const extra: {
      personId: string;
      type: PayloadOf<typeof StatusGrantedV1>['type'];
      validFrom: string;
      validTo: string | null;
      details?: Record<string, string>;
    }[] = [
      { personId: child, type: 'child_with_disability', validFrom: '2020-01-01', validTo: null },
      { personId: child, type: 'child_deprived_of_parental_care', validFrom: '2020-01-01', validTo: '2026-03-10' }, // valid on the day itself
      { personId: applicant, type: 'large_family', validFrom: '2020-01-01', validTo: '2026-03-09' }, // ended the day before
      { personId: applicant, type: 'pensioner', validFrom: '2026-03-11', validTo: null }, // starts the day after
      { personId: applicant, type: 'disability', validFrom: '2025-01-01', validTo: null, details: { group: 'II' } },
    ];
    for (const s of extra)
      await h.publish(StatusGrantedV1, { statusId: randomUUID(), details: {}, ...s, source: 'test', katottg: KATOTTG }, s.personId);
    await expectEventually(
      async () => {
        const r = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.person_status WHERE person_id = ANY($1::uuid[])`, [
          [applicant, child],
        ]);
        expect(r.rows[0].n).toBe(7);
      },
      { timeoutMs: 20000 },
    );
    const res = await h.submit(
      h.application(applicant, {
        household: {
          members: [
            { personId: applicant, role: 'applicant', relation: 'self' },
            { personId: child, role: 'member', relation: 'child' },
          ],
        },
      }),
    );
    expect(res.status).toBe(201);
    const request = await expectEventually(
      () => {
        const e = h.published(VerificationRequestedV1, (x) => x.payload.applicationId === res.body.id)[0];
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 20000 },
    );
    const byPerson = Object.fromEntries(request.payload.persons.map((p) => [p.personId, p.statuses]));
    expect(byPerson[applicant]).toEqual(['disability', 'disability:II', 'idp']);
    expect(byPerson[child]).toEqual(['child_deprived_of_parental_care', 'child_with_disability', 'idp']);
  });
});
