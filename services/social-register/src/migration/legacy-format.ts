import { IMPORT_ENTITIES, LegacySourceSystems, type ImportEntity } from '@eisss/contracts';
import { isValidRnokpp, isValidUaIban, isValidUnzr, maskIban, maskRnokpp, nameKey, type FieldCipher } from '@eisss/platform';
import { sealPersonColumns } from '../person/person-pii';

/**
 * The exchange format of docs/migration.md on the Node side: the columns of each entity's file, and
 * how one parsed row becomes a line of its staging table. Only what must not reach the database in
 * the clear is handled here (РНОКПП, УНЗР, phone and IBAN are checked, encrypted and hashed as the row
 * streams); every other check runs set-based over the staging table (ImportValidation).
 */
/** Entities whose jobs move money or who is paid: applied only after a second person approves. */
export const APPROVED_ENTITIES: readonly ImportEntity[] = ['accounts', 'assignments'];

/** The legacy id map's entity of each file's rows. */
export const MAP_ENTITY: Record<ImportEntity, 'person' | 'account' | 'household' | 'status' | 'assignment' | null> = {
  persons: 'person',
  accounts: 'account',
  households: 'household',
  members: null,
  statuses: 'status',
  assignments: 'assignment',
};

/** The staging table of each entity and the columns COPY fills (after job_id, line, source_system, legacy_id, malformed). */
export const STAGE: Record<ImportEntity, { table: string; columns: readonly string[] }> = {
  persons: {
    table: 'import_stage_person',
    columns: [
      'rnokpp_enc',
      'rnokpp_hash',
      'rnokpp_masked',
      'rnokpp_bad',
      'unzr_enc',
      'unzr_hash',
      'unzr_bad',
      'phone_enc',
      'phone_bad',
      'last_name',
      'first_name',
      'patronymic',
      'name_key',
      'birth_date',
      'sex',
      'death_date',
      'katottg',
      'address_text',
      'actual_katottg',
    ],
  },
  accounts: { table: 'import_stage_account', columns: ['person_legacy_id', 'iban_enc', 'iban_hash', 'iban_masked', 'iban_bad'] },
  households: { table: 'import_stage_household', columns: ['katottg', 'address_text'] },
  members: { table: 'import_stage_member', columns: ['household_legacy_id', 'person_legacy_id', 'role', 'joined_on'] },
  statuses: {
    table: 'import_stage_status',
    columns: ['person_legacy_id', 'type', 'valid_from', 'valid_to', 'document', 'document_date', 'disability_group', 'origin_katottg'],
  },
  assignments: {
    table: 'import_stage_assignment',
    columns: ['person_legacy_id', 'programme_code', 'period_from', 'period_to', 'monthly_amount', 'decision_number', 'decision_date'],
  },
};

export const SOURCE_SYSTEMS: readonly string[] = LegacySourceSystems;

/** A value of a row: trimmed, empty → null, NUL and other control characters (but tab) removed. */
export function clean(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  // eslint-disable-next-line no-control-regex
  const v = value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
  return v === '' ? null : v;
}

/** One value in COPY text format (tab-separated, `\N` for null, backslash escapes). */
export function copyValue(value: string | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const PHONE = /^\+?[0-9]{9,15}$/;

/** A parsed row as the file gave it (header names → raw values), its line, and why it is malformed (or null). */
export interface ParsedRow {
  line: number;
  values: Record<string, string | undefined>;
  malformed: string | null;
}

/**
 * The staging values of one row (COPY order of STAGE[entity].columns after the head), with the
 * identifiers sealed under the register's cipher. An identifier that fails its check is not kept:
 * only the flag that ImportValidation turns into a reject.
 */
export function stageValues(entity: ImportEntity, row: ParsedRow, cipher: FieldCipher): (string | boolean | null)[] {
  const v = (name: string) => clean(row.values[name]);
  switch (entity) {
    case 'persons': {
      const rnokpp = v('rnokpp');
      const unzr = v('unzr');
      const phone = v('phone');
      const rnokppOk = rnokpp !== null && isValidRnokpp(rnokpp);
      const unzrOk = unzr !== null && isValidUnzr(unzr);
      const phoneOk = phone !== null && PHONE.test(phone);
      const sealed = sealPersonColumns(cipher, {
        rnokpp: rnokppOk ? rnokpp : null,
        unzr: unzrOk ? unzr : null,
        phone: phoneOk ? phone : null,
      });
      const last = v('last_name');
      const first = v('first_name');
      const patronymic = v('patronymic');
      return [
        sealed.rnokpp_enc ?? null,
        sealed.rnokpp_hash ?? null,
        rnokppOk ? maskRnokpp(rnokpp) : null,
        rnokpp !== null && !rnokppOk,
        sealed.unzr_enc ?? null,
        sealed.unzr_hash ?? null,
        unzr !== null && !unzrOk,
        sealed.phone_enc ?? null,
        phone !== null && !phoneOk,
        last,
        first,
        patronymic,
        last && first ? nameKey(last, first, patronymic) : null,
        v('birth_date'),
        v('sex'),
        v('death_date'),
        v('katottg'),
        v('address_text'),
        v('actual_katottg'),
      ];
    }
    case 'accounts': {
      const iban = v('iban')?.replace(/\s+/g, '').toUpperCase() ?? null;
      const ok = iban !== null && isValidUaIban(iban);
      return [
        v('person_legacy_id'),
        ok ? cipher.encrypt(iban, 'iban') : null,
        ok ? cipher.hash(iban, 'iban') : null,
        ok ? maskIban(iban) : null,
        iban !== null && !ok,
      ];
    }
    case 'households':
      return [v('katottg'), v('address_text')];
    case 'members':
      return [v('household_legacy_id'), v('person_legacy_id'), v('role'), v('joined_on')];
    case 'statuses':
      return [
        v('person_legacy_id'),
        v('type'),
        v('valid_from'),
        v('valid_to'),
        v('document'),
        v('document_date'),
        v('group'),
        v('origin_katottg'),
      ];
    case 'assignments':
      return [
        v('person_legacy_id'),
        v('programme_code'),
        v('period_from'),
        v('period_to'),
        v('monthly_amount'),
        v('decision_number'),
        v('decision_date'),
      ];
  }
}

/** The COPY line of a row: job, line, source system, legacy id, why malformed, then the entity's values. */
export function copyLine(jobId: string, entity: ImportEntity, row: ParsedRow, cipher: FieldCipher): string {
  const head = [jobId, String(row.line), clean(row.values.source_system), clean(row.values.legacy_id), row.malformed];
  // A malformed row keeps only its identity (its flags false: it is rejected as ROW_MALFORMED alone).
  const values = row.malformed ? STAGE[entity].columns.map((c) => (c.endsWith('_bad') ? false : null)) : stageValues(entity, row, cipher);
  return [...head, ...values].map(copyValue).join('\t') + '\n';
}

/** The COPY statement of an entity's staging table. */
export function copySql(entity: ImportEntity): string {
  const s = STAGE[entity];
  return `COPY social_register.${s.table} (job_id, line, source_system, legacy_id, malformed, ${s.columns.join(', ')}) FROM STDIN`;
}

/** The entity of a file from its name's first word (`persons.csv.gz`, `2026-11-edarp-statuses.csv`), or null. */
export function entityFromFileName(name: string): ImportEntity | null {
  const base = name.toLowerCase().replace(/^.*[\\/]/, '');
  return IMPORT_ENTITIES.find((e) => new RegExp(`(^|[^a-z])${e}([^a-z]|$)`).test(base)) ?? null;
}
