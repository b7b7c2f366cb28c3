/**
 * The exchange format of a bulk migration into the register (docs/migration.md): one file per entity,
 * each row with its source system and legacy id, then the entity's columns in this order. The register
 * imports it; the generator of legacy extracts (libs/testing) writes it.
 */
export const IMPORT_ENTITIES = ['persons', 'accounts', 'households', 'members', 'statuses', 'assignments'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** The first columns of every file. */
export const LEGACY_COMMON_COLUMNS = ['source_system', 'legacy_id'] as const;

/** The columns of each entity's file beside the common ones, in docs/migration.md's order. */
export const LEGACY_FILE_COLUMNS: Record<ImportEntity, readonly string[]> = {
  persons: [
    'rnokpp',
    'unzr',
    'last_name',
    'first_name',
    'patronymic',
    'birth_date',
    'sex',
    'death_date',
    'katottg',
    'address_text',
    'actual_katottg',
    'phone',
  ],
  accounts: ['person_legacy_id', 'iban'],
  households: ['katottg', 'address_text'],
  members: ['household_legacy_id', 'person_legacy_id', 'role', 'joined_on'],
  statuses: ['person_legacy_id', 'type', 'valid_from', 'valid_to', 'document', 'document_date', 'group', 'origin_katottg'],
  assignments: ['person_legacy_id', 'programme_code', 'period_from', 'period_to', 'monthly_amount', 'decision_number', 'decision_date'],
};
