import { StatusTypes, type ImportEntity } from '@eisss/contracts';
import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { copySql, STAGE } from './legacy-format';

const S = 'social_register';

export type ImportJobStatus = 'staging' | 'validated' | 'awaiting_approval' | 'applying' | 'completed' | 'failed';

export interface ImportJobRow {
  id: string;
  entity: ImportEntity;
  fileName: string;
  fileSha256: string;
  encoding: string;
  status: ImportJobStatus;
  createdBy: string;
  approvedBy: string | null;
  approvedAt: string | null;
  totalRows: number;
  rejectedRows: number;
  createdRows: number;
  linkedRows: number;
  reviewRows: number;
  chunkSize: number;
  appliedThrough: number;
  chunksApplied: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface RejectRow {
  line: number;
  legacyId: string | null;
  field: string;
  code: string;
  message: string;
}

export interface LegacyIdRow {
  sourceSystem: string;
  entity: string;
  legacyId: string;
  registerId: string;
  jobId: string;
  line: number;
  importedAt: string;
}

const JOB_COLUMNS = `id, entity, file_name AS "fileName", file_sha256 AS "fileSha256", encoding, status, created_by AS "createdBy",
  approved_by AS "approvedBy", approved_at AS "approvedAt", total_rows AS "totalRows", rejected_rows AS "rejectedRows",
  created_rows AS "createdRows", linked_rows AS "linkedRows", review_rows AS "reviewRows", chunk_size AS "chunkSize",
  applied_through AS "appliedThrough", chunks_applied AS "chunksApplied", error, created_at AS "createdAt",
  updated_at AS "updatedAt", finished_at AS "finishedAt"`;

/** The oblast-level КАТОТТГ codes (the two digits after UA): a code outside them is not a Ukrainian territory. */
export const OBLAST_CODES = [
  '01',
  '05',
  '07',
  '12',
  '14',
  '18',
  '21',
  '23',
  '26',
  '32',
  '35',
  '44',
  '46',
  '48',
  '51',
  '53',
  '56',
  '59',
  '61',
  '63',
  '65',
  '68',
  '71',
  '73',
  '74',
  '80',
  '85',
];
const KATOTTG_RE = `^UA(${OBLAST_CODES.join('|')})[0-9]{15}$`;
const SEX = `CASE lower(s.sex) WHEN 'male' THEN 'male' WHEN 'm' THEN 'male' WHEN 'ч' THEN 'male' WHEN 'female' THEN 'female' WHEN 'f' THEN 'female' WHEN 'ж' THEN 'female' END`;

/** A check of a staging row: the condition that fails it, the field, the code and the message. */
type Check = [failed: string, field: string, code: string, message: string];

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const required = (col: string, field = col): Check => [`s.${col} IS NULL`, field, 'REQUIRED', `${field} is required`];
const tooLong = (col: string, max: number, field = col): Check => [
  `length(s.${col}) > ${max}`,
  field,
  'TOO_LONG',
  `${field} is longer than ${max} characters`,
];
const date = (col: string, field = col): Check => [
  `s.${col} IS NOT NULL AND ${S}.legacy_date(s.${col}) IS NULL`,
  field,
  'DATE_INVALID',
  `${field} is not a date (YYYY-MM-DD or DD.MM.YYYY)`,
];
const katottg = (col: string, field = col): Check => [
  `s.${col} IS NOT NULL AND s.${col} !~ '${KATOTTG_RE}'`,
  field,
  'KATOTTG_INVALID',
  `${field} is not a КАТОТТГ code of a Ukrainian oblast (UA + 17 digits)`,
];
const oneOf = (col: string, values: readonly string[], field = col, expr = `s.${col}`): Check => [
  `s.${col} IS NOT NULL AND ${expr} NOT IN (${values.map(q).join(', ')})`,
  field,
  'ENUM_INVALID',
  `${field} must be one of ${values.join(', ')}`,
];
const reference = (col: string, entity: 'person' | 'household'): Check => [
  `s.${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${S}.legacy_id_map m WHERE m.source_system = s.source_system AND m.entity = '${entity}' AND m.legacy_id = s.${col})`,
  col,
  'REFERENCE_UNKNOWN',
  `no ${entity} with this legacy id of the source system was imported before`,
];

/** The checks of each entity beyond the common ones (docs/migration.md). `$2` is today (Kyiv). */
const CHECKS: Record<ImportEntity, Check[]> = {
  persons: [
    ['s.rnokpp_bad', 'rnokpp', 'RNOKPP_CHECKSUM', 'rnokpp is not a valid РНОКПП (10 digits with a correct check digit)'],
    ['s.unzr_bad', 'unzr', 'UNZR_FORMAT', 'unzr is not a valid УНЗР (YYYYMMDD-NNNNN)'],
    [
      's.rnokpp_hash IS NULL AND s.unzr_hash IS NULL AND NOT s.rnokpp_bad AND NOT s.unzr_bad',
      'rnokpp',
      'REQUIRED',
      'rnokpp or unzr is required',
    ],
    ['s.phone_bad', 'phone', 'PHONE_INVALID', 'phone must be 9–15 digits, optionally with +'],
    required('last_name'),
    required('first_name'),
    tooLong('last_name', 100),
    tooLong('first_name', 100),
    tooLong('patronymic', 100),
    required('birth_date'),
    date('birth_date'),
    [
      `${S}.legacy_date(s.birth_date) < DATE '1900-01-01' OR ${S}.legacy_date(s.birth_date) > $2::date`,
      'birth_date',
      'DATE_RANGE',
      'birth_date is before 1900-01-01 or after today',
    ],
    required('sex'),
    [`s.sex IS NOT NULL AND ${SEX} IS NULL`, 'sex', 'ENUM_INVALID', 'sex must be one of male, female, M, F, Ч, Ж'],
    date('death_date'),
    [
      `${S}.legacy_date(s.death_date) < ${S}.legacy_date(s.birth_date) OR ${S}.legacy_date(s.death_date) > $2::date`,
      'death_date',
      'DATE_RANGE',
      'death_date is before birth_date or after today',
    ],
    ['s.katottg IS NULL AND s.address_text IS NULL', 'katottg', 'REQUIRED', 'katottg or address_text is required'],
    katottg('katottg'),
    katottg('actual_katottg'),
    tooLong('address_text', 500),
  ],
  accounts: [
    required('person_legacy_id'),
    ['s.iban_bad', 'iban', 'IBAN_CHECKSUM', 'iban is not a valid Ukrainian IBAN (UA, 29 characters, mod-97 check)'],
    ['s.iban_enc IS NULL AND NOT s.iban_bad', 'iban', 'REQUIRED', 'iban is required'],
    reference('person_legacy_id', 'person'),
  ],
  households: [required('katottg'), katottg('katottg'), tooLong('address_text', 500)],
  members: [
    required('household_legacy_id'),
    required('person_legacy_id'),
    required('role'),
    oneOf('role', ['head', 'recipient', 'dependant']),
    required('joined_on'),
    date('joined_on'),
    [`${S}.legacy_date(s.joined_on) > $2::date`, 'joined_on', 'DATE_RANGE', 'joined_on is after today'],
    reference('household_legacy_id', 'household'),
    reference('person_legacy_id', 'person'),
  ],
  statuses: [
    required('person_legacy_id'),
    required('type'),
    oneOf('type', StatusTypes),
    required('valid_from'),
    date('valid_from'),
    date('valid_to'),
    date('document_date'),
    [`${S}.legacy_date(s.valid_to) < ${S}.legacy_date(s.valid_from)`, 'valid_to', 'DATE_RANGE', 'valid_to is before valid_from'],
    [`s.type = 'idp' AND s.document IS NULL`, 'document', 'REQUIRED', 'an IDP status needs the certificate number (document)'],
    [`s.type = 'idp' AND s.document_date IS NULL`, 'document_date', 'REQUIRED', 'an IDP status needs the certificate date'],
    [
      `s.type = 'idp' AND ${S}.legacy_date(s.document_date) > ${S}.legacy_date(s.valid_from)`,
      'document_date',
      'DATE_RANGE',
      'the status cannot start before its certificate was issued',
    ],
    [`s.type = 'idp' AND s.origin_katottg IS NULL`, 'origin_katottg', 'REQUIRED', 'an IDP status needs the КАТОТТГ of origin'],
    katottg('origin_katottg'),
    [`s.type = 'disability' AND s.disability_group IS NULL`, 'group', 'REQUIRED', 'a disability status needs the group'],
    oneOf('disability_group', ['I', 'II', 'III'], 'group'),
    tooLong('document', 100),
    reference('person_legacy_id', 'person'),
  ],
  assignments: [
    required('person_legacy_id'),
    required('programme_code'),
    tooLong('programme_code', 64),
    required('period_from'),
    date('period_from'),
    required('period_to'),
    date('period_to'),
    [`extract(day FROM ${S}.legacy_date(s.period_from)) <> 1`, 'period_from', 'DATE_RANGE', 'period_from must be the first day of a month'],
    [
      `${S}.legacy_date(s.period_to) <> (date_trunc('month', ${S}.legacy_date(s.period_to)) + interval '1 month - 1 day')::date OR ${S}.legacy_date(s.period_to) < ${S}.legacy_date(s.period_from)`,
      'period_to',
      'DATE_RANGE',
      'period_to must be the last day of a month, not before period_from',
    ],
    required('monthly_amount'),
    [
      `s.monthly_amount IS NOT NULL AND ${S}.legacy_kopiyky(s.monthly_amount) IS NULL`,
      'monthly_amount',
      'AMOUNT_INVALID',
      'monthly_amount must be a positive amount in hryvnias with at most two decimals (e.g. 3000,00)',
    ],
    date('decision_date'),
    tooLong('decision_number', 64),
    reference('person_legacy_id', 'person'),
  ],
};

const COMMON_CHECKS: Check[] = [
  required('source_system'),
  oneOf('source_system', ['asopd', 'komtekh', 'edarp', 'subsidies']),
  required('legacy_id'),
  tooLong('legacy_id', 64),
];

/**
 * The migration's tables (import_job, the staging tables, import_reject, legacy_id_map): every check
 * and every apply step is one statement over a job's rows (or a chunk of them).
 */
@Injectable()
export class MigrationRepository {
  constructor(private readonly db: TransactionHost) {}

  findJob(entity: ImportEntity, sha256: string): Promise<ImportJobRow | undefined> {
    return this.db.one<ImportJobRow>(`SELECT ${JOB_COLUMNS} FROM ${S}.import_job WHERE entity = $1 AND file_sha256 = $2`, [entity, sha256]);
  }

  getJob(id: string, lock = false): Promise<ImportJobRow | undefined> {
    return this.db.one<ImportJobRow>(`SELECT ${JOB_COLUMNS} FROM ${S}.import_job WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  }

  async listJobs(
    page: PageRequest,
    filter: { status?: string; entity?: string },
  ): Promise<{ items: ImportJobRow[]; total: number | null }> {
    const where = `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR entity = $2)`;
    const params = [filter.status ?? null, filter.entity ?? null];
    const items = await this.db.query<ImportJobRow>(
      `SELECT ${JOB_COLUMNS} FROM ${S}.import_job WHERE ${where} ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [...params, page.limit, page.offset],
    );
    return { items, total: await this.db.total(page, `SELECT count(*)::int AS total FROM ${S}.import_job WHERE ${where}`, params) };
  }

  /** A new job, or the one of the same file and entity (a concurrent create answers the first). */
  async insertJob(job: {
    id: string;
    entity: ImportEntity;
    fileName: string;
    fileSha256: string;
    encoding: string;
    createdBy: string;
    chunkSize: number;
  }): Promise<ImportJobRow> {
    await this.db.query(
      `INSERT INTO ${S}.import_job (id, entity, file_name, file_sha256, encoding, status, created_by, chunk_size)
       VALUES ($1, $2, $3, $4, $5, 'staging', $6, $7) ON CONFLICT (entity, file_sha256) DO NOTHING`,
      [job.id, job.entity, job.fileName, job.fileSha256, job.encoding, job.createdBy, job.chunkSize],
    );
    return (await this.findJob(job.entity, job.fileSha256))!;
  }

  async setStatus(id: string, status: ImportJobStatus, error: string | null = null): Promise<void> {
    await this.db.query(
      `UPDATE ${S}.import_job SET status = $2, error = $3, updated_at = now(),
              rejected_rows = CASE WHEN $2 = 'completed' THEN (SELECT count(DISTINCT line)::int FROM ${S}.import_reject WHERE job_id = $1)
                                   ELSE rejected_rows END,
              finished_at = CASE WHEN $2 IN ('completed', 'failed') THEN now() ELSE finished_at END WHERE id = $1`,
      [id, status, error],
    );
  }

  /**
   * A run that stopped on an unexpected error (the database, a bug): the job keeps its phase — it
   * resumes from its last committed chunk — and its error says why and how to go on.
   */
  async noteStopped(id: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE ${S}.import_job SET error = $2, updated_at = now() WHERE id = $1 AND status NOT IN ('completed', 'failed')`,
      [id, error],
    );
  }

  async approve(id: string, approvedBy: string): Promise<void> {
    await this.db.query(
      `UPDATE ${S}.import_job SET status = 'applying', approved_by = $2, approved_at = now(), updated_at = now() WHERE id = $1`,
      [id, approvedBy],
    );
  }

  /** Empties a job's staging and rejects (a staging that did not finish is redone whole). */
  async clearStage(entity: ImportEntity, jobId: string): Promise<void> {
    await this.db.query(`DELETE FROM ${S}.import_reject WHERE job_id = $1`, [jobId]);
    await this.db.query(`DELETE FROM ${S}.${STAGE[entity].table} WHERE job_id = $1`, [jobId]);
  }

  copyStage(entity: ImportEntity, lines: AsyncIterable<string>): Promise<number> {
    return this.db.copyIn(copySql(entity), lines);
  }

  /**
   * Fresh planner statistics of the staging table after its COPY: without them every join of a chunk
   * is planned for a handful of rows, as nested loops over thousands.
   */
  async analyze(entity: ImportEntity): Promise<void> {
    await this.db.query(`ANALYZE ${S}.${STAGE[entity].table}`);
  }

  /**
   * Every check of the entity over the job's staging rows in one statement (the rejects), then the
   * rejected rows marked. Answers the number of rejected rows. The checks are one array per row
   * (compiled once, unnested only for a row that fails one): a LATERAL VALUES of the conditions would
   * build their expressions again for every row (60 µs a row at 24 checks).
   */
  async validate(entity: ImportEntity, jobId: string, today: string): Promise<number> {
    const table = STAGE[entity].table;
    const checks = [...COMMON_CHECKS, ...CHECKS[entity]];
    const failed = checks.map(([f]) => `(${f})`).join(',\n');
    const described = checks.map(([, field, code, message], i) => `(${i + 1}, ${q(field)}, ${q(code)}, ${q(message)})`).join(',\n');
    await this.db.query(
      `INSERT INTO ${S}.import_reject (job_id, line, legacy_id, field, code, message)
       SELECT $1, s.line, s.legacy_id, 'row', 'ROW_MALFORMED', s.malformed FROM ${S}.${table} s WHERE s.job_id = $1 AND s.malformed IS NOT NULL
       UNION ALL
       SELECT $1, f.line, f.legacy_id, c.field, c.code, c.message
         FROM (SELECT s.line, s.legacy_id, ARRAY[${failed}] AS failed
                 FROM ${S}.${table} s WHERE s.job_id = $1 AND s.malformed IS NULL AND $2::date IS NOT NULL) f
         CROSS JOIN LATERAL unnest(f.failed) WITH ORDINALITY AS u (failed, i)
         JOIN (VALUES ${described}) AS c (i, field, code, message) ON c.i = u.i
        WHERE true = ANY (f.failed) AND u.failed IS TRUE
       UNION ALL
       SELECT $1, d.line, d.legacy_id, 'legacy_id', 'DUPLICATE_IN_FILE', 'the legacy id appears earlier in the file (line ' || d.first || ')'
         FROM (SELECT s.line, s.legacy_id, min(s.line) OVER (PARTITION BY s.source_system, s.legacy_id) AS first
                 FROM ${S}.${table} s WHERE s.job_id = $1 AND s.malformed IS NULL AND s.legacy_id IS NOT NULL) d
        WHERE d.line <> d.first
       ON CONFLICT DO NOTHING`,
      [jobId, today],
    );
    await this.db.query(
      `UPDATE ${S}.${table} s SET rejected = true FROM (SELECT DISTINCT line FROM ${S}.import_reject WHERE job_id = $1) r
        WHERE s.job_id = $1 AND s.line = r.line`,
      [jobId],
    );
    const row = await this.db.one<{ total: number; rejected: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE rejected)::int AS rejected FROM ${S}.${table} WHERE job_id = $1`,
      [jobId],
    );
    await this.db.query(`UPDATE ${S}.import_job SET total_rows = $2, rejected_rows = $3, updated_at = now() WHERE id = $1`, [
      jobId,
      row!.total,
      row!.rejected,
    ]);
    return row!.rejected;
  }

  /** The last line of the next chunk after `after` (null: nothing left). */
  async nextChunkEnd(entity: ImportEntity, jobId: string, after: number, size: number): Promise<number | null> {
    const row = await this.db.one<{ last: number | null }>(
      `SELECT max(line) AS last FROM (SELECT line FROM ${S}.${STAGE[entity].table} WHERE job_id = $1 AND line > $2 ORDER BY line LIMIT $3) c`,
      [jobId, after, size],
    );
    return row?.last ?? null;
  }

  /** Records a chunk as applied (in the chunk's transaction: a crash resumes after the last one committed). */
  async chunkApplied(jobId: string, through: number, counts: { created: number; linked: number; rejected: number; reviews: number }) {
    await this.db.query(
      `UPDATE ${S}.import_job SET applied_through = $2, chunks_applied = chunks_applied + 1, created_rows = created_rows + $3,
              linked_rows = linked_rows + $4, rejected_rows = rejected_rows + $5, review_rows = review_rows + $6, error = NULL,
              updated_at = now()
        WHERE id = $1`,
      [jobId, through, counts.created, counts.linked, counts.rejected, counts.reviews],
    );
  }

  /**
   * The register's person of each of the chunk's rows by its person_legacy_id in the legacy id map (a
   * merged record: its survivor); with `household`, also the household by its household_legacy_id.
   */
  private async resolvePersonIds(table: string, jobId: string, from: number, to: number, household = false): Promise<void> {
    await this.db.query(
      `UPDATE ${S}.${table} s SET person_id = coalesce(p2.merged_into, p2.id)${household ? ', household_id = h.register_id' : ''}
         FROM ${S}.legacy_id_map p, ${S}.person p2${household ? `, ${S}.legacy_id_map h` : ''}
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected
          AND p.source_system = s.source_system AND p.entity = 'person' AND p.legacy_id = s.person_legacy_id AND p2.id = p.register_id
          ${household ? `AND h.source_system = s.source_system AND h.entity = 'household' AND h.legacy_id = s.household_legacy_id` : ''}`,
      [jobId, from, to],
    );
  }

  /** Rejects found while applying a chunk (conflicts with the register): recorded, and the rows marked. */
  private async rejectInChunk(table: string, jobId: string, from: number, to: number, sql: string, params: unknown[]): Promise<number> {
    const rows = await this.db.query<{ line: number }>(
      `WITH bad AS (${sql}),
       rej AS (INSERT INTO ${S}.import_reject (job_id, line, legacy_id, field, code, message)
               SELECT $1, line, legacy_id, field, code, message FROM bad ON CONFLICT DO NOTHING)
       UPDATE ${S}.${table} s SET rejected = true, action = NULL, register_id = NULL FROM bad
        WHERE s.job_id = $1 AND s.line = bad.line AND s.line BETWEEN $2 AND $3 RETURNING s.line`,
      [jobId, from, to, ...params],
    );
    return rows.length;
  }

  // ---- persons ----------------------------------------------------------------------------------

  /**
   * Links the chunk's unresolved rows to persons already in the register with the same РНОКПП or
   * УНЗР (a merged record: its survivor); a linked row whose name or birth date differ is a conflict.
   * Answers the conflicts.
   */
  async linkPersons(jobId: string, from: number, to: number): Promise<number> {
    for (const col of ['rnokpp_hash', 'unzr_hash']) {
      await this.db.query(
        `UPDATE ${S}.import_stage_person s SET action = 'link', register_id = coalesce(p.merged_into, p.id)
           FROM ${S}.person p
          WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected AND s.action IS NULL
            AND s.${col} IS NOT NULL AND p.${col} = s.${col}`,
        [jobId, from, to],
      );
    }
    return this.rejectInChunk(
      'import_stage_person',
      jobId,
      from,
      to,
      `SELECT s.line, s.legacy_id, 'rnokpp' AS field, 'PERSON_CONFLICT' AS code,
              'the register holds this РНОКПП/УНЗР for a person with another ' ||
              CASE WHEN p.birth_date <> ${S}.legacy_date(s.birth_date) THEN 'birth date' ELSE 'name' END || ' (person ' || p.id || ')' AS message
         FROM ${S}.import_stage_person s JOIN ${S}.person p ON p.id = s.register_id
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND s.action = 'link'
          AND (p.birth_date <> ${S}.legacy_date(s.birth_date) OR p.name_key IS DISTINCT FROM s.name_key)`,
      [],
    );
  }

  /**
   * Inserts the chunk's remaining rows as new persons (with their journal entry); a row whose
   * identifier another row of this statement (or a concurrent intake) took is left unresolved for the
   * next `linkPersons`. Answers the created persons.
   *
   * The journal and the answer are read from the staging rows joined to the person by its (fresh,
   * random) id, not from the INSERT's RETURNING: the planner counts one row for a CTE of an INSERT
   * and joined it back to the chunk by a nested loop over all of it (2 500² rows, 1.6 s a chunk).
   */
  async createPersons(jobId: string, from: number, to: number, actor: string): Promise<CreatedPerson[]> {
    const chunk = `s.job_id = $1::uuid AND s.line BETWEEN $2 AND $3`;
    const planned = await this.db.query<{ line: number }>(
      `UPDATE ${S}.import_stage_person s SET action = 'create', register_id = gen_random_uuid()
        WHERE ${chunk} AND NOT s.rejected AND s.action IS NULL RETURNING s.line`,
      [jobId, from, to],
    );
    if (planned.length === 0) return [];
    // This call's rows only: a second pass must not answer (or journal) the persons of the first again.
    const lines = planned.map((r) => r.line);
    await this.db.query(
      `INSERT INTO ${S}.person (id, rnokpp_enc, rnokpp_hash, unzr_enc, unzr_hash, phone_enc, last_name, first_name, patronymic,
                                birth_date, sex, death_date, katottg, registered_address, actual_katottg, name_key, created_by)
       SELECT s.register_id, s.rnokpp_enc, s.rnokpp_hash, s.unzr_enc, s.unzr_hash, s.phone_enc, s.last_name, s.first_name, s.patronymic,
              ${S}.legacy_date(s.birth_date), ${SEX}, ${S}.legacy_date(s.death_date), s.katottg, s.address_text, s.actual_katottg,
              s.name_key, $4
         FROM ${S}.import_stage_person s
        WHERE ${chunk} AND s.line = ANY ($5::int[]) AND s.action = 'create'
        ORDER BY s.line
       ON CONFLICT DO NOTHING`,
      [jobId, from, to, actor, lines],
    );
    // Rows another row of the statement took the identifier of: back to unresolved (linked next).
    await this.db.query(
      `UPDATE ${S}.import_stage_person s SET action = NULL, register_id = NULL
        WHERE ${chunk} AND s.line = ANY ($4::int[]) AND s.action = 'create' AND NOT EXISTS (SELECT 1 FROM ${S}.person p WHERE p.id = s.register_id)`,
      [jobId, from, to, lines],
    );
    return this.db.query<CreatedPerson>(
      `WITH hist AS (
         INSERT INTO ${S}.person_history (person_id, action, changes, reason, source, actor_id)
         SELECT s.register_id, 'registered', jsonb_build_object('importJobId', $1::text, 'line', s.line, 'legacyId', s.legacy_id),
                'migration', 'migration:' || s.source_system, $4
           FROM ${S}.import_stage_person s
          WHERE ${chunk} AND s.line = ANY ($5::int[]) AND s.action = 'create'
          ORDER BY s.line
       )
       SELECT p.id AS "personId", s.line, s.rnokpp_masked AS "rnokppMasked", p.last_name AS "lastName", p.first_name AS "firstName",
              p.patronymic, to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", p.sex, to_char(p.death_date, 'YYYY-MM-DD') AS "deathDate",
              p.katottg, p.actual_katottg AS "actualKatottg", p.created_at AS "createdAt"
         FROM ${S}.import_stage_person s JOIN ${S}.person p ON p.id = s.register_id
        WHERE ${chunk} AND s.line = ANY ($5::int[]) AND s.action = 'create' ORDER BY s.line`,
      [jobId, from, to, actor, lines],
    );
  }

  /** Rows of the chunk still unresolved (after a create lost to a row of the same statement). */
  async unresolved(table: string, jobId: string, from: number, to: number): Promise<number> {
    const row = await this.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${S}.${table} WHERE job_id = $1 AND line BETWEEN $2 AND $3 AND NOT rejected AND action IS NULL`,
      [jobId, from, to],
    );
    return row?.n ?? 0;
  }

  /**
   * Duplicate-review tasks for the chunk's new persons that share the normalised name and birth date
   * with a person registered before them (in the register, or earlier in this file: a candidate this
   * job registered counts when its journal entry's line is earlier). Answers the count.
   */
  async openDuplicateReviews(jobId: string, from: number, to: number): Promise<number> {
    const rows = await this.db.query(
      `INSERT INTO ${S}.duplicate_review (id, person_id, candidate_ids, match_kind, status, katottg)
       SELECT gen_random_uuid(), c.id, array_agg(p.id ORDER BY p.created_at, p.id), 'name+birthDate', 'open', min(coalesce(c.katottg, c.actual_katottg))
         FROM ${S}.import_stage_person s
         JOIN ${S}.person c ON c.id = s.register_id
         JOIN ${S}.person p ON p.name_key = c.name_key AND p.birth_date = c.birth_date AND p.id <> c.id AND p.merged_into IS NULL
         LEFT JOIN ${S}.person_history e ON e.person_id = p.id AND e.action = 'registered' AND e.changes->>'importJobId' = $1::uuid::text
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND s.action = 'create' AND (e.id IS NULL OR (e.changes->>'line')::int < s.line)
        GROUP BY c.id
       RETURNING id`,
      [jobId, from, to],
    );
    return rows.length;
  }

  /** The legacy id map of the chunk's applied rows (created and linked); a legacy id mapped before keeps its entry. */
  async mapLegacyIds(entity: ImportEntity, mapEntity: string, jobId: string, from: number, to: number): Promise<void> {
    await this.db.query(
      `INSERT INTO ${S}.legacy_id_map (source_system, entity, legacy_id, register_id, job_id, line)
       SELECT s.source_system, $4, s.legacy_id, s.register_id, $1, s.line FROM ${S}.${STAGE[entity].table} s
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND s.action IS NOT NULL AND s.register_id IS NOT NULL
       ON CONFLICT DO NOTHING`,
      [jobId, from, to, mapEntity],
    );
  }

  async countAction(entity: ImportEntity, jobId: string, from: number, to: number, action: 'create' | 'link'): Promise<number> {
    const row = await this.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${S}.${STAGE[entity].table} WHERE job_id = $1 AND line BETWEEN $2 AND $3 AND action = $4`,
      [jobId, from, to, action],
    );
    return row?.n ?? 0;
  }

  // ---- households and members -------------------------------------------------------------------

  /** A household row already imported (its legacy id is mapped) links to it; the others are created. */
  async applyHouseholds(jobId: string, from: number, to: number, actor: string): Promise<void> {
    await this.db.query(
      `UPDATE ${S}.import_stage_household s SET action = 'link', register_id = m.register_id FROM ${S}.legacy_id_map m
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected
          AND m.source_system = s.source_system AND m.entity = 'household' AND m.legacy_id = s.legacy_id`,
      [jobId, from, to],
    );
    await this.db.query(
      `WITH planned AS (
         UPDATE ${S}.import_stage_household SET action = 'create', register_id = gen_random_uuid()
          WHERE job_id = $1 AND line BETWEEN $2 AND $3 AND NOT rejected AND action IS NULL RETURNING *
       )
       INSERT INTO ${S}.household (id, katottg, address, created_by) SELECT register_id, katottg, address_text, $4 FROM planned ORDER BY line`,
      [jobId, from, to, actor],
    );
  }

  /**
   * Members: the household and person from the legacy id map; a person already an active member of
   * that household links; a person active in another household, a second head, or a second row of
   * the same person in the chunk is a MEMBER_CONFLICT. Answers the conflicts.
   */
  async resolveMembers(jobId: string, from: number, to: number): Promise<number> {
    await this.resolvePersonIds('import_stage_member', jobId, from, to, true);
    await this.db.query(
      `UPDATE ${S}.import_stage_member s SET action = 'link', register_id = s.household_id
         FROM ${S}.household_member m
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected AND s.action IS NULL
          AND m.person_id = s.person_id AND m.household_id = s.household_id AND m.left_on IS NULL`,
      [jobId, from, to],
    );
    return this.rejectInChunk(
      'import_stage_member',
      jobId,
      from,
      to,
      // The first head of each household and the first row of each person among the chunk's
      // unresolved rows (earlier chunks' rows are applied: the register's members stand for them).
      `SELECT s.line, s.legacy_id, 'person_legacy_id' AS field, 'MEMBER_CONFLICT' AS code,
              CASE WHEN other.household_id IS NOT NULL THEN 'the person is an active member of another household'
                   WHEN s.role = 'head' AND (head.household_id IS NOT NULL OR s.line <> s.first_head) THEN 'the household already has a head'
                   ELSE 'the person appears earlier in the file for this household' END AS message
         FROM (SELECT x.*, min(x.line) FILTER (WHERE x.role = 'head') OVER (PARTITION BY x.household_id) AS first_head,
                      min(x.line) OVER (PARTITION BY x.person_id) AS first_person
                 FROM ${S}.import_stage_member x
                WHERE x.job_id = $1 AND x.line BETWEEN $2 AND $3 AND NOT x.rejected AND x.action IS NULL) s
         LEFT JOIN LATERAL (SELECT m.household_id FROM ${S}.household_member m
                             WHERE m.person_id = s.person_id AND m.left_on IS NULL AND m.household_id <> s.household_id LIMIT 1) other ON true
         LEFT JOIN LATERAL (SELECT m.household_id FROM ${S}.household_member m
                             WHERE m.household_id = s.household_id AND m.left_on IS NULL AND m.role = 'head' LIMIT 1) head ON true
        WHERE other.household_id IS NOT NULL
           OR (s.role = 'head' AND (head.household_id IS NOT NULL OR s.line <> s.first_head))
           OR s.line <> s.first_person`,
      [],
    );
  }

  /** Inserts the members; answers the households changed (id, whether it had no members before). */
  async insertMembers(
    jobId: string,
    from: number,
    to: number,
  ): Promise<{ householdId: string; created: boolean; firstPersonId: string }[]> {
    return this.db.query(
      `WITH planned AS (
         UPDATE ${S}.import_stage_member SET action = 'create', register_id = household_id
          WHERE job_id = $1 AND line BETWEEN $2 AND $3 AND NOT rejected AND action IS NULL RETURNING *
       ), before AS (
         -- One index probe per household (an EXISTS over all the chunk's rows is planned as a scan of every member).
         SELECT d.household_id, m.household_id IS NOT NULL AS had
           FROM (SELECT DISTINCT household_id FROM planned) d
           LEFT JOIN LATERAL (SELECT x.household_id FROM ${S}.household_member x WHERE x.household_id = d.household_id LIMIT 1) m ON true
       ), ins AS (
         INSERT INTO ${S}.household_member (household_id, person_id, role, joined_on)
         SELECT household_id, person_id, role, ${S}.legacy_date(joined_on) FROM planned ORDER BY line RETURNING household_id
       ), bump AS (
         UPDATE ${S}.household h SET version = h.version + CASE WHEN b.had THEN 1 ELSE 0 END, updated_at = now()
           FROM before b WHERE h.id = b.household_id RETURNING h.id
       )
       SELECT b.household_id AS "householdId", NOT b.had AS created, f.person_id AS "firstPersonId"
         FROM before b
         JOIN (SELECT DISTINCT ON (p.household_id) p.household_id, p.person_id FROM planned p ORDER BY p.household_id, p.line) f
           ON f.household_id = b.household_id`,
      [jobId, from, to],
    );
  }

  // ---- statuses ---------------------------------------------------------------------------------

  /**
   * Statuses: the person from the legacy id map; a status of the same person, type and start already
   * held links; one that overlaps another of the same type is a STATUS_OVERLAP. Answers the conflicts.
   */
  async resolveStatuses(jobId: string, from: number, to: number): Promise<number> {
    await this.resolvePersonIds('import_stage_status', jobId, from, to);
    await this.db.query(
      `UPDATE ${S}.import_stage_status s SET action = 'link', register_id = ps.id
         FROM ${S}.person_status ps
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected AND s.action IS NULL
          AND ps.person_id = s.person_id AND ps.type = s.type AND ps.valid_from = ${S}.legacy_date(s.valid_from)`,
      [jobId, from, to],
    );
    return this.rejectInChunk(
      'import_stage_status',
      jobId,
      from,
      to,
      // The chunk's unresolved rows with their periods parsed once; an earlier row of the chunk for the
      // same person and type that overlaps (earlier chunks' rows are in person_status already).
      `WITH c AS MATERIALIZED (
         SELECT s.line, s.legacy_id, s.person_id, s.type,
                daterange(${S}.legacy_date(s.valid_from), ${S}.legacy_date(s.valid_to), '[]') AS period
           FROM ${S}.import_stage_status s
          WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected AND s.action IS NULL)
       SELECT c.line, c.legacy_id, 'valid_from' AS field, 'STATUS_OVERLAP' AS code,
              'the person already has a ' || c.type || ' status in this period' AS message
         FROM c
        WHERE EXISTS (SELECT 1 FROM ${S}.person_status ps WHERE ps.person_id = c.person_id AND ps.type = c.type
                         AND daterange(ps.valid_from, ps.valid_to, '[]') && c.period)
           OR c.line IN (SELECT b.line FROM c a JOIN c b ON b.person_id = a.person_id AND b.type = a.type
                          WHERE a.line < b.line AND a.period && b.period)`,
      [],
    );
  }

  /** Inserts the statuses (and their history); answers them for the events. */
  async insertStatuses(jobId: string, from: number, to: number, actor: string): Promise<CreatedStatus[]> {
    return this.db.query<CreatedStatus>(
      `WITH planned AS (
         UPDATE ${S}.import_stage_status SET action = 'create', register_id = gen_random_uuid()
          WHERE job_id = $1 AND line BETWEEN $2 AND $3 AND NOT rejected AND action IS NULL RETURNING *
       ), rows AS (
         SELECT p.line, p.register_id AS id, p.person_id, p.type, ${S}.legacy_date(p.valid_from) AS valid_from,
                ${S}.legacy_date(p.valid_to) AS valid_to, 'migration:' || p.source_system AS source,
                jsonb_strip_nulls(CASE p.type
                  WHEN 'idp' THEN jsonb_build_object('certificateNumber', p.document,
                                    'certificateDate', to_char(${S}.legacy_date(p.document_date), 'YYYY-MM-DD'), 'originKatottg', p.origin_katottg)
                  WHEN 'disability' THEN jsonb_build_object('group', p.disability_group, 'document', p.document)
                  ELSE jsonb_build_object('document', p.document, 'documentDate', to_char(${S}.legacy_date(p.document_date), 'YYYY-MM-DD')) END)
                  || jsonb_build_object('legacyId', p.legacy_id, 'sourceSystem', p.source_system) AS details,
                coalesce(pe.katottg, pe.actual_katottg) AS katottg
           FROM planned p JOIN ${S}.person pe ON pe.id = p.person_id
       ), ins AS (
         INSERT INTO ${S}.person_status (id, person_id, type, valid_from, valid_to, source, details, katottg)
         SELECT id, person_id, type, valid_from, valid_to, source, details, katottg FROM rows ORDER BY line RETURNING id
       ), hist AS (
         INSERT INTO ${S}.status_history (status_id, person_id, action, version, snapshot, reason, source, actor_id)
         SELECT r.id, r.person_id, 'granted', 1,
                jsonb_build_object('type', r.type, 'validFrom', r.valid_from, 'validTo', r.valid_to, 'source', r.source, 'details', r.details),
                'migration', r.source, $4
           FROM rows r JOIN ins ON ins.id = r.id
       )
       SELECT r.id AS "statusId", r.person_id AS "personId", r.type, to_char(r.valid_from, 'YYYY-MM-DD') AS "validFrom",
              to_char(r.valid_to, 'YYYY-MM-DD') AS "validTo", r.source, r.katottg, r.details
         FROM rows r ORDER BY r.line`,
      [jobId, from, to, actor],
    );
  }

  // ---- accounts and assignments (approved jobs) -------------------------------------------------

  /** Accounts: the person from the legacy id map; the same IBAN already held links (nothing changes). */
  async resolveAccounts(jobId: string, from: number, to: number): Promise<void> {
    await this.resolvePersonIds('import_stage_account', jobId, from, to);
    await this.db.query(
      `UPDATE ${S}.import_stage_account s SET action = 'link', register_id = s.person_id FROM ${S}.person p
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected AND s.action IS NULL
          AND p.id = s.person_id AND p.iban_hash = s.iban_hash`,
      [jobId, from, to],
    );
  }

  /**
   * Sets the chunk's accounts on the persons (the last row of a person wins), with a journal entry;
   * answers the changed persons' rows for the account events.
   */
  async setAccounts(jobId: string, from: number, to: number, actor: string, approvedBy: string): Promise<ChangedAccount[]> {
    return this.db.query<ChangedAccount>(
      `WITH planned AS (
         UPDATE ${S}.import_stage_account SET action = 'create', register_id = person_id
          WHERE job_id = $1 AND line BETWEEN $2 AND $3 AND NOT rejected AND action IS NULL RETURNING *
       ), last AS (
         SELECT DISTINCT ON (person_id) * FROM planned ORDER BY person_id, line DESC
       ), upd AS (
         UPDATE ${S}.person p SET iban_enc = l.iban_enc, iban_hash = l.iban_hash, payment_postcode = NULL, version = p.version + 1, updated_at = now()
           FROM last l WHERE p.id = l.person_id
         RETURNING p.id, p.iban_enc, p.rnokpp_enc, p.last_name, p.first_name, p.patronymic, p.version, p.updated_at
       ), hist AS (
         INSERT INTO ${S}.person_history (person_id, action, changes, reason, source, actor_id)
         SELECT l.person_id, 'updated', jsonb_build_object('fields', jsonb_build_array('iban'), 'importJobId', $1::text, 'line', l.line,
                'ibanMasked', l.iban_masked, 'approvedBy', $5::text), 'migration', 'migration:' || l.source_system, $4
           FROM last l
       )
       SELECT u.id AS "personId", u.iban_enc AS "ibanEnc", u.rnokpp_enc AS "rnokppEnc", u.last_name AS "lastName", u.first_name AS "firstName",
              u.patronymic, u.version, u.updated_at AS "updatedAt"
         FROM upd u ORDER BY u.id`,
      [jobId, from, to, actor, approvedBy],
    );
  }

  /** Assignments: the person from the legacy id map; a legacy case already migrated links. */
  async resolveAssignments(jobId: string, from: number, to: number): Promise<void> {
    await this.resolvePersonIds('import_stage_assignment', jobId, from, to);
    await this.db.query(
      `UPDATE ${S}.import_stage_assignment s SET action = 'link', register_id = a.id FROM ${S}.migrated_assignment a
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected AND s.action IS NULL
          AND a.source_system = s.source_system AND a.legacy_case_number = s.legacy_id`,
      [jobId, from, to],
    );
  }

  async insertAssignments(jobId: string, from: number, to: number): Promise<MigratedAssignmentRow[]> {
    return this.db.query<MigratedAssignmentRow>(
      `WITH planned AS (
         UPDATE ${S}.import_stage_assignment SET action = 'create', register_id = gen_random_uuid()
          WHERE job_id = $1 AND line BETWEEN $2 AND $3 AND NOT rejected AND action IS NULL RETURNING *
       ), ins AS (
         INSERT INTO ${S}.migrated_assignment (id, job_id, source_system, legacy_case_number, person_id, programme_code, period_from, period_to,
                                               monthly_amount_kopiyky, decision_number, decision_date)
         SELECT register_id, $1, source_system, legacy_id, person_id, programme_code, ${S}.legacy_date(period_from), ${S}.legacy_date(period_to),
                ${S}.legacy_kopiyky(monthly_amount), decision_number, ${S}.legacy_date(decision_date)
           FROM planned ORDER BY line
         RETURNING *
       )
       SELECT i.id, i.source_system AS "sourceSystem", i.legacy_case_number AS "legacyCaseNumber", i.person_id AS "personId",
              hm.household_id AS "householdId", coalesce(pe.katottg, pe.actual_katottg) AS katottg, i.programme_code AS "programmeCode",
              to_char(i.period_from, 'YYYY-MM') AS "periodFrom", to_char(i.period_to, 'YYYY-MM') AS "periodTo",
              i.monthly_amount_kopiyky::text AS "monthlyAmountKopiyky", i.decision_number AS "decisionNumber",
              to_char(i.decision_date, 'YYYY-MM-DD') AS "decisionDate"
         FROM ins i JOIN ${S}.person pe ON pe.id = i.person_id
         LEFT JOIN ${S}.household_member hm ON hm.person_id = i.person_id AND hm.left_on IS NULL
        ORDER BY i.legacy_case_number`,
      [jobId, from, to],
    );
  }

  /** Assignments whose recipient has no КАТОТТГ (the event needs a territory): rejected. */
  async rejectAssignmentsWithoutTerritory(jobId: string, from: number, to: number): Promise<number> {
    return this.rejectInChunk(
      'import_stage_assignment',
      jobId,
      from,
      to,
      `SELECT s.line, s.legacy_id, 'person_legacy_id' AS field, 'KATOTTG_INVALID' AS code,
              'the recipient has no КАТОТТГ in the register (only a legacy address text): the assignment has no territory' AS message
         FROM ${S}.import_stage_assignment s JOIN ${S}.person p ON p.id = s.person_id
        WHERE s.job_id = $1 AND s.line BETWEEN $2 AND $3 AND NOT s.rejected AND s.action IS NULL
          AND p.katottg IS NULL AND p.actual_katottg IS NULL`,
      [],
    );
  }

  // ---- reports and lookups ----------------------------------------------------------------------

  /** The rejects of a job from a line on, in line order (a page of the report). */
  rejects(jobId: string, afterLine: number, limit: number): Promise<RejectRow[]> {
    return this.db.query<RejectRow>(
      `SELECT line, legacy_id AS "legacyId", field, code, message FROM ${S}.import_reject
        WHERE job_id = $1 AND line > $2 ORDER BY line, field, code LIMIT $3`,
      [jobId, afterLine, limit],
    );
  }

  /** Up to `limit` rejects of a job, and how many there are per code. */
  async rejectSummary(jobId: string): Promise<{ code: string; count: number }[]> {
    return this.db.query(
      `SELECT code, count(*)::int AS count FROM ${S}.import_reject WHERE job_id = $1 GROUP BY code ORDER BY count DESC, code`,
      [jobId],
    );
  }

  lookup(sourceSystem: string, entity: string, legacyId: string): Promise<LegacyIdRow | undefined> {
    return this.db.one<LegacyIdRow>(
      `SELECT source_system AS "sourceSystem", entity, legacy_id AS "legacyId", register_id AS "registerId", job_id AS "jobId", line,
              imported_at AS "importedAt"
         FROM ${S}.legacy_id_map WHERE source_system = $1 AND entity = $2 AND legacy_id = $3`,
      [sourceSystem, entity, legacyId],
    );
  }

  /** The territory of a mapped register id (a person's or household's КАТОТТГ) for the lookup's territory check. */
  async territoryOf(entity: string, registerId: string): Promise<string | null> {
    const sql: Record<string, string> = {
      person: `SELECT coalesce(katottg, actual_katottg) AS k FROM ${S}.person WHERE id = $1`,
      account: `SELECT coalesce(katottg, actual_katottg) AS k FROM ${S}.person WHERE id = $1`,
      household: `SELECT katottg AS k FROM ${S}.household WHERE id = $1`,
      status: `SELECT katottg AS k FROM ${S}.person_status WHERE id = $1`,
      assignment: `SELECT coalesce(p.katottg, p.actual_katottg) AS k FROM ${S}.migrated_assignment a JOIN ${S}.person p ON p.id = a.person_id WHERE a.id = $1`,
    };
    const row = await this.db.one<{ k: string | null }>(sql[entity]!, [registerId]);
    return row?.k?.trim() ?? null;
  }

  /** The members of households (for the household events), current and former. */
  householdsForEvents(ids: string[]): Promise<HouseholdEventRow[]> {
    return this.db.query<HouseholdEventRow>(
      `SELECT h.id, h.katottg, h.version, h.updated_at AS "updatedAt",
              coalesce(jsonb_agg(jsonb_build_object('personId', m.person_id, 'role', m.role, 'joinedOn', to_char(m.joined_on, 'YYYY-MM-DD'),
                       'leftOn', to_char(m.left_on, 'YYYY-MM-DD')) ORDER BY m.id) FILTER (WHERE m.id IS NOT NULL), '[]') AS members
         FROM ${S}.household h LEFT JOIN ${S}.household_member m ON m.household_id = h.id
        WHERE h.id = ANY($1::uuid[]) GROUP BY h.id ORDER BY h.id`,
      [ids],
    );
  }
}

export interface CreatedPerson {
  personId: string;
  line: number;
  rnokppMasked: string | null;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  birthDate: string;
  sex: 'male' | 'female';
  deathDate: string | null;
  katottg: string | null;
  actualKatottg: string | null;
  createdAt: Date;
}

export interface CreatedStatus {
  statusId: string;
  personId: string;
  type: (typeof StatusTypes)[number];
  validFrom: string;
  validTo: string | null;
  source: string;
  katottg: string | null;
  details: Record<string, string | number | boolean | null>;
}

export interface ChangedAccount {
  personId: string;
  ibanEnc: string;
  rnokppEnc: string | null;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  version: number;
  updatedAt: Date;
}

export interface MigratedAssignmentRow {
  id: string;
  sourceSystem: string;
  legacyCaseNumber: string;
  personId: string;
  householdId: string | null;
  katottg: string;
  programmeCode: string;
  periodFrom: string;
  periodTo: string;
  monthlyAmountKopiyky: string;
  decisionNumber: string | null;
  decisionDate: string | null;
}

export interface HouseholdEventRow {
  id: string;
  katottg: string;
  version: number;
  updatedAt: Date;
  members: { personId: string; role: 'head' | 'recipient' | 'dependant'; joinedOn: string; leftOn: string | null }[];
}
