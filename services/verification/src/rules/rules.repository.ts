import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RuleParameterRow } from './rules';

@Injectable()
export class RulesRepository {
  /** The whole rule table (small: a few rows per rule); the engine picks the rows in force on a date. */
  async all(tx: EntityManager): Promise<RuleParameterRow[]> {
    const rows: {
      rule_id: string;
      effective_from: string;
      effective_to: string | null;
      parameters: Record<string, unknown>;
      legal_basis: string;
      source_note: string | null;
    }[] = await tx.query(
      `SELECT rule_id, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, to_char(effective_to, 'YYYY-MM-DD') AS effective_to, parameters, legal_basis, source_note
         FROM verification.rule_parameter ORDER BY rule_id, effective_from`,
    );
    return rows.map((r) => ({
      ruleId: r.rule_id,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
      parameters: r.parameters,
      legalBasis: r.legal_basis,
      sourceNote: r.source_note,
    }));
  }
}
