import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duplicate and overlap control in the statement that writes (issue 13, register intake). Each
 * function takes the advisory lock that serialises the check (the same name and birth date; one
 * person's statuses of one type) and only then reads, in a snapshot of its own (a VOLATILE function
 * sees what was committed before its lock was granted, which the calling statement's snapshot would
 * not), so the lock, the check and the insert are one round trip:
 * - probable_duplicates: persons not merged away with that name key and birth date, oldest first,
 *   without `exclude` (the row the same statement inserts, whether the insert ran before or after);
 * - status_overlaps: statuses of the person and type whose period meets [from, to] (locked FOR UPDATE),
 *   without `exclude` (the status being corrected).
 */
export class IntakeLocks1765100000000 implements MigrationInterface {
  name = 'IntakeLocks1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE FUNCTION social_register.probable_duplicates(name_key text, birth_date text, exclude uuid) RETURNS uuid[]
         LANGUAGE plpgsql VOLATILE AS $$
       BEGIN
         PERFORM pg_advisory_xact_lock(hashtext('person-name:' || name_key || ':' || birth_date));
         RETURN (SELECT coalesce(array_agg(p.id ORDER BY p.created_at), '{}')
                   FROM social_register.person p
                  WHERE p.name_key = probable_duplicates.name_key AND p.birth_date = probable_duplicates.birth_date::date
                    AND p.merged_into IS NULL AND p.id IS DISTINCT FROM exclude);
       END $$`,
      `CREATE FUNCTION social_register.status_overlaps(person_id uuid, type text, valid_from date, valid_to date, exclude uuid) RETURNS uuid[]
         LANGUAGE plpgsql VOLATILE AS $$
       DECLARE
         ids uuid[];
       BEGIN
         PERFORM pg_advisory_xact_lock(hashtext('person-status:' || status_overlaps.person_id::text || ':' || status_overlaps.type));
         SELECT coalesce(array_agg(s.id), '{}') INTO ids FROM (
           SELECT s.id FROM social_register.person_status s
            WHERE s.person_id = status_overlaps.person_id AND s.type = status_overlaps.type AND s.id IS DISTINCT FROM exclude
              AND daterange(s.valid_from, s.valid_to, '[]') && daterange(status_overlaps.valid_from, status_overlaps.valid_to, '[]')
              FOR UPDATE
         ) s;
         RETURN ids;
       END $$`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DROP FUNCTION social_register.status_overlaps(uuid, text, date, date, uuid)`,
      `DROP FUNCTION social_register.probable_duplicates(text, text, uuid)`,
    ]);
  }
}
