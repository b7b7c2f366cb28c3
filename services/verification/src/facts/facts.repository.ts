import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Fact, FactKind } from '../rules/rules';

export interface NewFact {
  source: string;
  kind: FactKind;
  reference: string;
  personId: string;
  occurredOn: string;
  data: Record<string, unknown>;
  eventId: string | null;
}

interface FactRow {
  source: string;
  kind: FactKind;
  reference: string;
  person_id: string;
  occurred_on: string;
  data: Record<string, unknown>;
}

const toFact = (r: FactRow): Fact => ({
  source: r.source,
  kind: r.kind,
  reference: r.reference,
  personId: r.person_id,
  occurredOn: r.occurred_on,
  data: r.data,
});

@Injectable()
export class FactsRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Stores a fact; a corrected fact from the same register (same source, kind, reference) replaces the earlier one. */
  async upsert(f: NewFact): Promise<void> {
    await this.db.query(
      `INSERT INTO verification.fact (fact_id, source, kind, reference, person_id, occurred_on, data, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (source, kind, reference) DO UPDATE SET
         person_id = EXCLUDED.person_id, occurred_on = EXCLUDED.occurred_on, data = EXCLUDED.data,
         event_id = EXCLUDED.event_id, updated_at = now()`,
      [randomUUID(), f.source, f.kind, f.reference, f.personId, f.occurredOn, JSON.stringify(f.data), f.eventId],
    );
  }

  /** All facts of a set of persons in one query (the rules pick what is relevant to their period). */
  async forPersons(personIds: string[]): Promise<Fact[]> {
    if (personIds.length === 0) return [];
    const rows = await this.db.query<FactRow>(
      `SELECT source, kind, reference, person_id, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, data
         FROM verification.fact WHERE person_id = ANY($1::uuid[]) ORDER BY occurred_on, reference`,
      [personIds],
    );
    return rows.map(toFact);
  }
}
