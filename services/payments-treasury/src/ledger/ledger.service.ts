import { AuditLog, DomainError, Transactional, assertNationalScope, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { LedgerRepository } from './ledger.repository';
import { territoryPrefix } from '../shared/territory';
import { reconcile } from './ledger.rules';

export enum LedgerErrorCode {
  LEDGER_NOT_FOUND = 'LEDGER_NOT_FOUND',
}

export interface LedgerView {
  recipientPersonId: string;
  programmeCode: string;
  balances: Record<string, string>;
  reconciled: boolean;
  problems: string[];
}

@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Balances of one recipient and programme with the reconciliation against payroll lines, adjustments and payments. */
  @Transactional()
  async view(principal: Principal, recipientPersonId: string, programmeCode: string): Promise<LedgerView> {
    if (!(await this.ledger.visible(recipientPersonId, programmeCode, territoryPrefix(principal)))) {
      throw DomainError.notFound(LedgerErrorCode.LEDGER_NOT_FOUND, 'no ledger of this person and programme in your territory');
    }
    const balances = await this.ledger.balances(recipientPersonId, programmeCode);
    const problems = reconcile(balances, await this.ledger.domainTotals(recipientPersonId, programmeCode));
    await this.audit.recordRead(principal, 'person', [recipientPersonId], 'treasury ledger');
    return {
      recipientPersonId,
      programmeCode,
      balances: Object.fromEntries(Object.entries(balances).map(([k, v]) => [k, v.toString()])),
      reconciled: problems.length === 0,
      problems,
    };
  }

  /** Whole-ledger check: unbalanced entries and recipient/programme pairs that do not reconcile. */
  async check(
    principal: Principal,
    limit = 10000,
  ): Promise<{
    unbalancedEntries: string[];
    checkedPairs: number;
    problems: { recipientPersonId: string; programmeCode: string; problems: string[] }[];
  }> {
    assertNationalScope(principal, 'the whole-ledger check');
    const unbalancedEntries = await this.ledger.unbalancedEntries();
    const pairs = await this.ledger.pairs(limit, 0);
    const problems = [];
    for (const p of pairs) {
      const pr = reconcile(
        await this.ledger.balances(p.recipientPersonId, p.programmeCode),
        await this.ledger.domainTotals(p.recipientPersonId, p.programmeCode),
      );
      if (pr.length) problems.push({ ...p, problems: pr });
    }
    await this.audit.recordAction(
      principal,
      'check',
      'ledger',
      ['ledger'],
      `${pairs.length} pairs checked, ${problems.length} with problems`,
    );
    await this.audit.recordRead(principal, 'person', [...new Set(problems.map((p) => p.recipientPersonId))], 'ledger check');
    return { unbalancedEntries, checkedPairs: pairs.length, problems };
  }
}
