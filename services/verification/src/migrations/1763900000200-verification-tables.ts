import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facts from other registers, the recipients projection, the rule table (effective-dated
 * parameters), verification requests, findings and check runs.
 */
export class VerificationTables1763900000200 implements MigrationInterface {
  name = 'VerificationTables1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE verification.fact (
       fact_id uuid PRIMARY KEY,
       source text NOT NULL,
       kind text NOT NULL,
       reference text NOT NULL,
       person_id uuid NOT NULL,
       occurred_on date NOT NULL,
       data jsonb NOT NULL,
       event_id uuid,
       received_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT fact_source_reference_uq UNIQUE (source, kind, reference)
     )`);
    await q.query(`CREATE INDEX fact_person_idx ON verification.fact (person_id, kind, occurred_on)`);

    await q.query(`CREATE TABLE verification.recipient_assignment (
       assignment_id uuid PRIMARY KEY,
       version integer NOT NULL,
       programme_code text NOT NULL,
       recipient_person_id uuid NOT NULL,
       member_person_ids uuid[] NOT NULL,
       katottg char(19) NOT NULL,
       period_from char(7) NOT NULL,
       period_to char(7) NOT NULL,
       status text NOT NULL CHECK (status IN ('active', 'suspended', 'terminated')),
       last_event_at timestamptz NOT NULL
     )`);
    await q.query(`CREATE INDEX recipient_assignment_status_idx ON verification.recipient_assignment (status, katottg)`);
    await q.query(`CREATE INDEX recipient_assignment_members_idx ON verification.recipient_assignment USING gin (member_person_ids)`);

    await q.query(`CREATE TABLE verification.rule_parameter (
       rule_id text NOT NULL,
       effective_from date NOT NULL,
       effective_to date,
       parameters jsonb NOT NULL,
       legal_basis text NOT NULL,
       PRIMARY KEY (rule_id, effective_from),
       CHECK (effective_to IS NULL OR effective_to > effective_from)
     )`);
    const rules: [string, string, string | null, object, string][] = [
      [
        'death',
        '2022-03-20',
        null,
        { preventiveAction: 'refuse', currentAction: 'stop_payment' },
        'КМУ № 332 (death of the recipient or a member: stop from the next month); ДРАЦС data',
      ],
      [
        'abroad',
        '2023-08-01',
        null,
        { maxConsecutiveDays: 30, maxTotalDays: 60, preventiveAction: 'refuse', currentAction: 'suspend' },
        'КМУ № 332 as amended (more than 30 consecutive days or more than 60 days in total within the six-month period abroad); ДПСУ data',
      ],
      [
        'deposit-over-threshold',
        '2023-08-01',
        null,
        { thresholdKopiyky: '10000000', lookbackMonths: 3, preventiveAction: 'refuse', currentAction: 'review' },
        'КМУ № 332 as amended; Ministry of Finance verification signal (deposits over 100 000 UAH)',
      ],
      [
        'vehicle',
        '2023-08-01',
        null,
        { newVehicleMaxAgeYears: 5, oldVehicleMaxAgeYears: 15, oldVehicleCount: 2, action: 'review' },
        'Ministry of Finance verification signals (a vehicle under 5 years old; two vehicles under 15 years old)',
      ],
      [
        'income-over-threshold',
        '2025-01-01',
        '2026-01-01',
        { monthlyThresholdPerPersonKopiyky: '944400', months: 3, excludedIncomeKinds: ['one-off', 'military'], action: 'review' },
        'КМУ № 332 extension test: 4 × subsistence minimum for persons unable to work (2025: 4 × 2 361 UAH)',
      ],
      [
        'income-over-threshold',
        '2026-01-01',
        null,
        { monthlyThresholdPerPersonKopiyky: '1038000', months: 3, excludedIncomeKinds: ['one-off', 'military'], action: 'review' },
        'КМУ № 332 extension test: 4 × subsistence minimum for persons unable to work (2026: 4 × 2 595 UAH)',
      ],
      [
        'duplicate-registration',
        '2022-03-20',
        null,
        { action: 'review' },
        'one assignment of a programme per person: the same person active in two communities',
      ],
    ];
    for (const [ruleId, from, to, params, basis] of rules) {
      await q.query(
        `INSERT INTO verification.rule_parameter (rule_id, effective_from, effective_to, parameters, legal_basis) VALUES ($1, $2, $3, $4, $5)`,
        [ruleId, from, to, JSON.stringify(params), basis],
      );
    }

    await q.query(`CREATE TABLE verification.verification_request (
       request_id uuid PRIMARY KEY,
       kind text NOT NULL,
       application_id uuid,
       assignment_id uuid,
       programme_code text NOT NULL,
       katottg char(19) NOT NULL,
       period_from date NOT NULL,
       period_to date NOT NULL,
       person_ids uuid[] NOT NULL,
       outcome text NOT NULL CHECK (outcome IN ('passed', 'findings')),
       checked_on date NOT NULL,
       completed_at timestamptz NOT NULL DEFAULT now()
     )`);

    await q.query(`CREATE TABLE verification.check_run (
       run_id uuid PRIMARY KEY,
       kind text NOT NULL CHECK (kind IN ('current', 'retrospective')),
       month char(7),
       person_id uuid,
       assignment_id uuid,
       period_from date NOT NULL,
       period_to date NOT NULL,
       territory text NOT NULL,
       started_by text NOT NULL,
       persons_checked integer NOT NULL,
       findings_raised integer NOT NULL,
       client_request_id text UNIQUE,
       created_at timestamptz NOT NULL DEFAULT now()
     )`);

    await q.query(`CREATE TABLE verification.finding (
       finding_id uuid PRIMARY KEY,
       person_id uuid NOT NULL,
       rule text NOT NULL,
       recommended_action text NOT NULL CHECK (recommended_action IN ('none', 'review', 'refuse', 'suspend', 'stop_payment')),
       effective_date date,
       evidence jsonb NOT NULL,
       kind text NOT NULL CHECK (kind IN ('preventive', 'current', 'retrospective')),
       status text NOT NULL CHECK (status IN ('open', 'accepted', 'rejected', 'actioned')),
       katottg char(19) NOT NULL,
       assignment_ids uuid[] NOT NULL DEFAULT '{}',
       request_id uuid,
       run_id uuid,
       period_from date NOT NULL,
       period_to date NOT NULL,
       dedupe_key text NOT NULL,
       decided_by text,
       decided_at timestamptz,
       decision_reason text,
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT finding_dedupe_uq UNIQUE (dedupe_key)
     )`);
    await q.query(`CREATE INDEX finding_queue_idx ON verification.finding (status, katottg, created_at)`);
    await q.query(`CREATE INDEX finding_person_idx ON verification.finding (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE verification.finding`);
    await q.query(`DROP TABLE verification.check_run`);
    await q.query(`DROP TABLE verification.verification_request`);
    await q.query(`DROP TABLE verification.rule_parameter`);
    await q.query(`DROP TABLE verification.recipient_assignment`);
    await q.query(`DROP TABLE verification.fact`);
  }
}
