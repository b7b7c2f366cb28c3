import {
  AuditLog,
  Clock,
  DomainError,
  addMonthsToMonth,
  assertTerritory,
  canAccessTerritory,
  firstOfMonth,
  monthsBetween,
  type CalendarDate,
  type Principal,
  TransactionHost,
} from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { AssignmentErrorCode } from '../assignments/assignments.errors';
import { AssignmentsRepository, type AssignmentRecord } from '../assignments/assignments.repository';
import { AssignmentsService, type ActOutcome } from '../assignments/assignments.service';
import { EmploymentRepository } from '../employment/employment.repository';
import { IDP_PROGRAMME_CODE, type IdpMemberFact } from '../rules/idp-living-allowance.rules';
import { ParameterTable } from '../rules/parameters';
import { ruleSetByVersion } from '../rules/programmes';
import { node, type ApplicationFacts } from '../rules/rule-set';
import { incomeFromFacts, type IncomeFromFacts } from './extension-income';
import { ExtensionErrorCode } from './extension.errors';

const LEGAL_REF =
  'Порядок надання допомоги на проживання ВПО, постанова КМУ від 20.03.2022 № 332, п. 13, пп. 13-1–13-4 (ред. № 94 від 26.01.2024; зміни від 26.08.2025)';

/** The facts of an IDP assignment with the income from the tax service and the automatic-extension checks done. */
export type ExtensionFacts = ApplicationFacts & {
  incomeFromFacts?: IncomeFromFacts & { forMonth: string };
  extensionChecks?: { month: string; on: CalendarDate; passed: boolean }[];
};

export interface ExtensionCheckItem {
  assignmentId: string;
  extendedFrom: string;
  passed: boolean;
  outcome: 'terminated' | 'unchanged' | 'changed';
  averageMonthlyIncomePerPersonKopiyky: string;
  reasons: string[];
}

export interface ExtensionCheckResult {
  on: CalendarDate;
  checked: number;
  stopped: number;
  items: ExtensionCheckItem[];
}

/**
 * Extension of the IDP allowance with current facts: the income test reads the tax service's income facts
 * of the last 3 months (one-off and military income not counted), not the income declared on the
 * application; the extension itself is AssignmentsService.extend (the system at once, a person with a
 * second person's approval). After an automatic extension the check within a month stops the assignment
 * from the month after the month of the extension when the conditions fail.
 */
@Injectable()
export class ExtensionService {
  constructor(
    private readonly db: TransactionHost,
    private readonly assignments: AssignmentsService,
    private readonly assignmentsRepo: AssignmentsRepository,
    private readonly employment: EmploymentRepository,
    private readonly params: ParameterTable,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  today(): CalendarDate {
    return this.clock.today();
  }

  /** The facts with the income of the 3 months up to `lastMonth` from the tax facts (and each member's latest pension). */
  private async withCurrentIncome(facts: ApplicationFacts, lastMonth: string, forMonth: string): Promise<ExtensionFacts> {
    const months = monthsBetween(addMonthsToMonth(lastMonth, -2), lastMonth);
    const lines = await this.employment.incomeFactsOf(
      facts.members.map((m) => m.personId),
      months[0]!,
      lastMonth,
    );
    const income = incomeFromFacts({ members: facts.members, lines, months, on: firstOfMonth(forMonth) });
    const next = structuredClone(facts) as ExtensionFacts;
    next.averageMonthlyIncomePerPersonKopiyky = income.averageMonthlyIncomePerPersonKopiyky;
    next.incomeFromFacts = { ...income, forMonth };
    for (const m of next.members as IdpMemberFact[]) {
      if (income.pensions[m.personId] !== undefined) m.pensionMonthlyKopiyky = income.pensions[m.personId]!;
    }
    return next;
  }

  /**
   * Extends an assignment for a further term with the income facts of its last 3 months (the facts are kept on
   * the assignment first, then AssignmentsService.extend decides: 422 EXTENSION_NOT_ELIGIBLE when the family fails).
   */
  async extendWithCurrentFacts(principal: Principal, id: string): Promise<ActOutcome<AssignmentRecord>> {
    await this.db.run(async () => {
      const a = await this.assignmentsRepo.lockById(id);
      if (!a) throw DomainError.notFound(AssignmentErrorCode.ASSIGNMENT_NOT_FOUND, `assignment ${id} not found`);
      assertTerritory(principal, a.katottg);
      if (a.programmeCode !== IDP_PROGRAMME_CODE)
        throw DomainError.unprocessable(
          AssignmentErrorCode.EXTENSION_NOT_AVAILABLE,
          `${a.programmeCode} has no extension with income facts`,
        );
      const facts = await this.withCurrentIncome(a.facts, a.periodTo, addMonthsToMonth(a.periodTo, 1));
      await this.assignmentsRepo.update({ ...a, facts });
    });
    return this.assignments.extend(principal, id);
  }

  /**
   * The check within a month after an automatic extension (rule sets with automatic extension): the income of the
   * 3 months before the extension from the tax facts and the categories; a failed check stops the assignment from
   * the month after the month of the extension. Each extension is checked once.
   */
  async checkAutomaticExtensions(principal: Principal, on: CalendarDate | undefined): Promise<ExtensionCheckResult> {
    const day = on ?? this.today();
    if (day > this.today())
      throw DomainError.unprocessable(ExtensionErrorCode.CHECK_DATE_IN_FUTURE, `the check date ${day} is later than today`, 'on');
    const out: ExtensionCheckResult = { on: day, checked: 0, stopped: 0, items: [] };
    for (const id of await this.assignmentsRepo.openIdsOfProgramme(IDP_PROGRAMME_CODE)) {
      const item = await this.db.run(async () => {
        const a = await this.assignmentsRepo.lockById(id);
        if (!a || a.status === 'terminated' || !canAccessTerritory(principal, a.katottg)) return null;
        return this.checkOne(principal, a, day);
      });
      if (!item) continue;
      out.checked++;
      if (!item.passed) out.stopped++;
      out.items.push(item);
    }
    return out;
  }

  private async checkOne(principal: Principal, a: AssignmentRecord, on: CalendarDate): Promise<ExtensionCheckItem | null> {
    const ruleSet = ruleSetByVersion(a.programmeCode, a.ruleSetVersion);
    if (!ruleSet?.extend) return null;
    const month = (await this.assignmentsRepo.extensionMonths(a.id)).filter((m) => firstOfMonth(m) <= on).pop();
    if (!month) return null;
    const done = (a.facts as ExtensionFacts).extensionChecks ?? [];
    if (done.some((c) => c.month === month)) return null;
    const lastBefore = addMonthsToMonth(month, -1);
    const probe = ruleSet.extend(a.facts, lastBefore, this.params);
    if (probe.explanation.facts.automatic !== true) return null;
    const facts = await this.withCurrentIncome(a.facts, lastBefore, month);
    const ext = ruleSet.extend(facts, lastBefore, this.params);
    const f = ext.explanation.facts as { vulnerableCategories: string[]; automaticCategories?: string[]; incomeTestPassed: boolean | null };
    const reasons: string[] = [];
    if (f.incomeTestPassed === false)
      reasons.push(
        `average monthly income per person ${facts.averageMonthlyIncomePerPersonKopiyky} kopiyky over the bar (income facts of ${facts.incomeFromFacts!.months.join(', ')}; one-off and military pay not counted)`,
      );
    if (f.vulnerableCategories.length === 0 && (f.automaticCategories ?? []).length === 0)
      reasons.push('the family is in no category eligible for extension');
    const passed = reasons.length === 0;
    facts.extensionChecks = [...done, { month, on, passed }];
    const note = node(
      { id: 'idp.extension-check', title: 'Check within a month after an automatic extension', legalRef: LEGAL_REF },
      passed ? 'passed' : 'failed',
      { extendedFrom: month, on, reasons, income: facts.incomeFromFacts },
      ext.explanation.parameters,
    );
    const outcome = passed
      ? await this.assignments.recalculateInTx(
          a,
          facts,
          { code: 'EXTENSION_CHECK_PASSED', text: `check after the automatic extension from ${month}` },
          principal.id,
        )
      : await this.assignments.recalculateInTx(
          a,
          facts,
          {
            code: 'EXTENSION_CHECK_FAILED',
            text: `check after the automatic extension from ${month} failed: ${reasons.join('; ')}; stopped from ${addMonthsToMonth(month, 1)} — ${LEGAL_REF}`,
          },
          principal.id,
          month,
          note,
        );
    await this.audit.recordAction(principal, 'extension-check', 'assignment', [a.id], `check after the automatic extension from ${month}`);
    return {
      assignmentId: a.id,
      extendedFrom: month,
      passed,
      outcome,
      averageMonthlyIncomePerPersonKopiyky: facts.averageMonthlyIncomePerPersonKopiyky ?? '0',
      reasons,
    };
  }
}
