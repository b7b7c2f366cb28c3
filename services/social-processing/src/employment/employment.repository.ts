import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { EngagementFact } from './employment-rules';

export type EmploymentFactSource = 'employment-centre' | 'tax';
export type EmploymentFactKind =
  'registered' | 'deregistered' | 'employment-started' | 'employment-ended' | 'sole-proprietor-registered' | 'sole-proprietor-terminated';

export interface EmploymentFactRow {
  source: EmploymentFactSource;
  recordId: string;
  personId: string;
  kind: EmploymentFactKind;
  effectiveOn: string;
  details: Record<string, unknown>;
}

export interface IncomeFactRow {
  reportId: string;
  personId: string;
  month: string;
  incomeKind: string;
  amountKopiyky: string;
}

const START: Partial<Record<EmploymentFactKind, { kind: EngagementFact['kind']; end: EmploymentFactKind }>> = {
  registered: { kind: 'registration', end: 'deregistered' },
  'employment-started': { kind: 'employment', end: 'employment-ended' },
  'sole-proprietor-registered': { kind: 'sole-proprietor', end: 'sole-proprietor-terminated' },
};

/**
 * Intervals of engagement from the facts of one person: each start is paired with the first end of its kind
 * on or after it (the end day is the last day engaged; an end with no start is ignored).
 */
export function engagementsOf(rows: EmploymentFactRow[]): EngagementFact[] {
  const sorted = [...rows].sort((a, b) =>
    a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : a.recordId < b.recordId ? -1 : 1,
  );
  const out: EngagementFact[] = [];
  const used = new Set<string>();
  for (const r of sorted) {
    const start = START[r.kind];
    if (!start) continue;
    const end = sorted.find((e) => e.kind === start.end && e.effectiveOn >= r.effectiveOn && !used.has(`${e.source}:${e.recordId}`));
    if (end) used.add(`${end.source}:${end.recordId}`);
    out.push({
      kind: start.kind,
      source: `${r.source}:${r.recordId}${end ? ` … ${end.source}:${end.recordId}` : ''}`,
      from: r.effectiveOn,
      to: end ? end.effectiveOn : null,
    });
  }
  return out;
}

/** The projection of employment and income facts (see migration EmploymentFacts1763900000800). */
@Injectable()
export class EmploymentRepository {
  constructor(private readonly db: TransactionHost) {}

  async upsertEmploymentFact(f: EmploymentFactRow, eventId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO social_processing.employment_fact (source, record_id, person_id, kind, effective_on, details, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (source, record_id) DO UPDATE SET person_id = EXCLUDED.person_id, kind = EXCLUDED.kind, effective_on = EXCLUDED.effective_on,
         details = EXCLUDED.details, event_id = EXCLUDED.event_id, updated_at = now()`,
      [f.source, f.recordId, f.personId, f.kind, f.effectiveOn, JSON.stringify(f.details), eventId],
    );
  }

  async upsertIncomeFact(f: IncomeFactRow & { payerCode: string | null }, eventId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO social_processing.income_fact (report_id, person_id, month, income_kind, amount_kopiyky, payer_code, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (report_id) DO UPDATE SET person_id = EXCLUDED.person_id, month = EXCLUDED.month, income_kind = EXCLUDED.income_kind,
         amount_kopiyky = EXCLUDED.amount_kopiyky, payer_code = EXCLUDED.payer_code, event_id = EXCLUDED.event_id, updated_at = now()`,
      [f.reportId, f.personId, f.month, f.incomeKind, f.amountKopiyky, f.payerCode, eventId],
    );
  }

  async employmentFactsOf(personIds: string[]): Promise<Map<string, EmploymentFactRow[]>> {
    const rows = await this.db.query<{
      source: EmploymentFactSource;
      record_id: string;
      person_id: string;
      kind: EmploymentFactKind;
      effective_on: string;
      details: Record<string, unknown>;
    }>(
      `SELECT source, record_id, person_id, kind, to_char(effective_on, 'YYYY-MM-DD') AS effective_on, details FROM social_processing.employment_fact WHERE person_id = ANY($1::uuid[]) ORDER BY effective_on, record_id`,
      [personIds],
    );
    const out = new Map<string, EmploymentFactRow[]>(personIds.map((p) => [p, []]));
    for (const r of rows) {
      out.get(r.person_id)?.push({
        source: r.source,
        recordId: r.record_id,
        personId: r.person_id,
        kind: r.kind,
        effectiveOn: r.effective_on,
        details: r.details,
      });
    }
    return out;
  }

  async incomeFactsOf(personIds: string[], fromMonth: string, toMonth: string): Promise<IncomeFactRow[]> {
    const rows = await this.db.query<{ report_id: string; person_id: string; month: string; income_kind: string; amount: string }>(
      `SELECT report_id, person_id, month, income_kind, amount_kopiyky::text AS amount FROM social_processing.income_fact
        WHERE person_id = ANY($1::uuid[]) AND month >= $2 AND month <= $3 ORDER BY month, report_id`,
      [personIds, fromMonth, toMonth],
    );
    return rows.map((r) => ({
      reportId: r.report_id,
      personId: r.person_id,
      month: r.month,
      incomeKind: r.income_kind,
      amountKopiyky: r.amount,
    }));
  }
}
