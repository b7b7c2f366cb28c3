import {
  PersonPaymentAccountChangedV2,
  PersonRegisteredV1,
  StatusGrantedV1,
  VerificationCompletedV1,
  VerificationRequestedV1,
  type EventContract,
  type EventEnvelope,
  type PayloadOf,
  Role,
} from '@eisss/contracts';
import type { PlainAccount } from '@eisss/platform';
import {
  KafkaProbe,
  ServiceApp,
  TestEnvironment,
  expectEventually,
  publishEvent,
  sealedAccount,
  sealedPayee,
  tokenFor,
} from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';

export const KATOTTG = 'UA80000000000093317';
/** The РНОКПП of the account holder the register double publishes (sealed). */
export const HOLDER_RNOKPP = '3296909324';

/** A valid Ukrainian IBAN (mod-97) for a bank code and a 19-digit account. */
export function ibanOf(account19: string, mfo = '322313'): string {
  const bban = mfo + account19;
  const check = 98n - (BigInt(`${bban}301000`) % 97n);
  return `UA${check.toString().padStart(2, '0')}${bban}`;
}

export const tokens = {
  officer: tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA80' }),
  officer2: tokenFor({ id: 'officer-2', roles: [Role.Officer], territory: 'UA80' }),
  supervisor: tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA80' }),
  national: tokenFor({ id: 'national-1', roles: [Role.Supervisor], territory: 'UA' }),
  national2: tokenFor({ id: 'national-2', roles: [Role.Supervisor], territory: 'UA' }),
};

/**
 * Social processing in-process against real Postgres and Kafka, with the register and verification as
 * test doubles publishing onto their topics (as they would), and helpers for the usual steps.
 */
export class ProcessingHarness {
  private constructor(
    readonly env: TestEnvironment,
    readonly app: ServiceApp,
    readonly probe: KafkaProbe,
    readonly sql: Client,
  ) {}

  static async start(probed: EventContract[]): Promise<ProcessingHarness> {
    const env = await TestEnvironment.create();
    const sql = await env.sql('social-processing');
    const probe = await KafkaProbe.start([VerificationRequestedV1, ...probed].map((c) => env.topicPrefix + c.topic));
    const app = await ServiceApp.start(definition, env.env('social-processing'));
    return new ProcessingHarness(env, app, probe, sql);
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.probe?.stop();
    await this.sql?.end();
    await this.env?.destroy();
  }

  topic(c: EventContract): string {
    return this.env.topicPrefix + c.topic;
  }

  http() {
    return this.app.http();
  }

  publish<C extends EventContract>(contract: C, payload: PayloadOf<C>, key: string): Promise<EventEnvelope<PayloadOf<C>>> {
    return publishEvent(this.env.topicPrefix, contract, payload, key);
  }

  /** Envelopes of a contract published by processing (from Kafka) matching a predicate. */
  published<C extends EventContract>(contract: C, match: (e: EventEnvelope<PayloadOf<C>>) => boolean): EventEnvelope<PayloadOf<C>>[] {
    return this.probe.envelopes<PayloadOf<C>>(this.topic(contract)).filter(match);
  }

  /** Payloads of a contract on the outbox for an aggregate. */
  async outbox<C extends EventContract>(contract: C, key: string): Promise<PayloadOf<C>[]> {
    const r = await this.sql.query(
      `SELECT envelope->'payload' AS p FROM social_processing.outbox WHERE message_key = $1 AND envelope->>'eventType' = $2 ORDER BY seq`,
      [key, contract.eventType],
    );
    return r.rows.map((x) => x.p as PayloadOf<C>);
  }

  /** A person of the register with an IDP status, projected into processing. */
  async idpPerson(birthDate: string, lastName = 'Коваленко'): Promise<string> {
    const personId = randomUUID();
    await this.publish(
      PersonRegisteredV1,
      {
        personId,
        rnokppMasked: '******1234',
        name: { lastName, firstName: 'Олена', patronymic: null },
        birthDate,
        sex: 'female',
        deathDate: null,
        katottg: KATOTTG,
        registeredAt: '2026-01-01T10:00:00.000Z',
      },
      personId,
    );
    await this.publish(
      StatusGrantedV1,
      {
        statusId: randomUUID(),
        personId,
        type: 'idp',
        validFrom: '2024-01-01',
        validTo: null,
        source: 'test',
        katottg: KATOTTG,
        details: {},
      },
      personId,
    );
    await expectEventually(
      async () => {
        const r = await this.sql.query(
          `SELECT (SELECT count(*)::int FROM social_processing.person_projection WHERE person_id = $1) AS p, (SELECT count(*)::int FROM social_processing.person_status WHERE person_id = $1) AS s`,
          [personId],
        );
        expect(r.rows[0]).toEqual({ p: 1, s: 1 });
      },
      { timeoutMs: 20000 },
    );
    return personId;
  }

  /**
   * The register approved an account for a person, published as the register publishes it: the IBAN and
   * the holder's identifiers sealed for the treasury (the envelope returned carries the sealed values).
   */
  async registerAccount(personId: string, account: PlainAccount | null, version: number, fullName = 'Коваленко Олена') {
    return this.publish(
      PersonPaymentAccountChangedV2,
      {
        personId,
        account: await sealedAccount(account),
        holder: await sealedPayee({ fullName, rnokpp: HOLDER_RNOKPP, documentNumber: null }),
        changeRequestId: randomUUID(),
        requestedBy: 'registrar-1',
        approvedBy: 'registrar-2',
        version,
        changedAt: '2026-04-15T10:00:00.000Z',
      },
      personId,
    );
  }

  /** Every row of social_processing's tables as text, for asserting what it holds. */
  async allRowsAsText(): Promise<string> {
    const tables = await this.sql.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'social_processing' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const out: string[] = [];
    for (const { table_name } of tables.rows) {
      const r = await this.sql.query(`SELECT t::text AS row FROM social_processing.${table_name} t`);
      out.push(...r.rows.map((x) => `${table_name}: ${x.row}`));
    }
    return out.join('\n');
  }

  async accountVersion(personId: string): Promise<number | null> {
    const r = await this.sql.query(`SELECT version FROM social_processing.person_payment_account WHERE person_id = $1`, [personId]);
    return r.rows[0]?.version ?? null;
  }

  application(applicant: string, over: Record<string, unknown> = {}) {
    return {
      clientRequestId: `req-${randomUUID()}`,
      channel: 'office',
      applicantPersonId: applicant,
      katottg: KATOTTG,
      receivedOn: '2026-03-10',
      programmeCodes: ['idp-living-allowance'],
      household: { members: [{ personId: applicant, role: 'applicant', relation: 'self' }] },
      consents: [
        { type: 'personal-data-processing', givenOn: '2026-03-10' },
        { type: 'registers-check', givenOn: '2026-03-10' },
      ],
      ...over,
    };
  }

  submit(body: unknown, token = tokens.officer) {
    return this.http()
      .post('/applications')
      .set('authorization', `Bearer ${token}`)
      .send(body as object);
  }

  async getApplication(id: string) {
    const res = await this.http().get(`/applications/${id}`).set('authorization', `Bearer ${tokens.officer}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Verification (a test double) answers the preventive request of an application: passed, or with findings. */
  async passVerification(applicationId: string, findings: PayloadOf<typeof VerificationCompletedV1>['findings'] = []): Promise<void> {
    const request = await expectEventually(
      () => {
        const e = this.probe
          .envelopes<PayloadOf<typeof VerificationRequestedV1>>(this.topic(VerificationRequestedV1))
          .find((x) => x.payload.applicationId === applicationId);
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 15000 },
    );
    await this.publish(
      VerificationCompletedV1,
      {
        requestId: request.payload.requestId,
        applicationId,
        assignmentId: null,
        outcome: findings.length ? 'findings' : 'passed',
        checkedOn: '2026-03-11',
        findings,
      },
      request.payload.requestId,
    );
  }

  /** Maker-checker: an officer proposes, a supervisor (another person) approves. */
  async decideByTwo(id: string, outcome: 'granted' | 'refused' = 'granted'): Promise<void> {
    await expectEventually(async () => expect((await this.getApplication(id)).decisions[0].status).toBe('awaiting_officer'), {
      timeoutMs: 15000,
    });
    const proposed = await this.http()
      .post(`/applications/${id}/decisions/idp-living-allowance/proposal`)
      .set('authorization', `Bearer ${tokens.officer}`)
      .send({ outcome });
    expect(proposed.status).toBe(200);
    const approved = await this.http()
      .post(`/applications/${id}/decisions/idp-living-allowance/approval`)
      .set('authorization', `Bearer ${tokens.supervisor}`)
      .send({ approve: true });
    expect(approved.status).toBe(200);
  }

  approve(requestId: string, token: string) {
    return this.http().post(`/approvals/${requestId}/approve`).set('authorization', `Bearer ${token}`).send({});
  }
}
