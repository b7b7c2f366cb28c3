import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { RuleParameterRow } from './rules';

/** A row of verification.rule_parameter (dates as YYYY-MM-DD). */
interface RuleParameterDbRow {
  rule_id: string;
  effective_from: string;
  effective_to: string | null;
  parameters: Record<string, unknown>;
  legal_basis: string;
  source_note: string | null;
}

const toRuleParameter = (r: RuleParameterDbRow): RuleParameterRow => ({
  ruleId: r.rule_id,
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
  parameters: r.parameters,
  legalBasis: r.legal_basis,
  sourceNote: r.source_note,
});

@Injectable()
export class RulesRepository {
  constructor(private readonly db: TransactionHost) {}

  /** The whole rule table (small: a few rows per rule); the engine picks the rows in force on a date. */
  async all(): Promise<RuleParameterRow[]> {
    const rows = await this.db.query<RuleParameterDbRow>(
      `SELECT rule_id, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, to_char(effective_to, 'YYYY-MM-DD') AS effective_to, parameters, legal_basis, source_note
         FROM verification.rule_parameter ORDER BY rule_id, effective_from`,
    );
    return rows.map(toRuleParameter);
  }
}
