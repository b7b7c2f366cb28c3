import {
  AuditLog,
  Clock,
  DomainError,
  canAccessTerritory,
  firstOfMonth,
  lastOfMonth,
  type CalendarDate,
  type Principal,
  TransactionHost,
} from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { AssignmentsRepository, type AssignmentRecord } from '../assignments/assignments.repository';
import { AssignmentsService } from '../assignments/assignments.service';
import { IDP_PROGRAMME_CODE, idpMemberAmount, type IdpFacts, type IdpMemberFact } from '../rules/idp-living-allowance.rules';
import { ParameterTable } from '../rules/parameters';
import { node, type Reason } from '../rules/rule-set';
import { EmploymentDutyRules, employmentDuty, seventhPayment, type EmploymentStop } from './employment-rules';
import { EmploymentErrorCode } from './employment.errors';
import { EmploymentRepository, engagementsOf } from './employment.repository';
import { termsOf } from './terms';

export type EmploymentChangeKind = 'stop' | 'restored' | 'stop-lifted' | 'seventh-payment';

export interface EmploymentChange {
  personId: string;
  change: EmploymentChangeKind;
  termStart: CalendarDate;
  fromMonth: string;
  deadline: CalendarDate | null;
  amountKopiyky: string | null;
  text: string;
}

export interface EmploymentCheckItem {
  assignmentId: string;
  version: number;
  outcome: 'changed' | 'terminated' | 'unchanged';
  changes: EmploymentChange[];
}

export interface EmploymentCheckResult {
  on: CalendarDate;
  checked: number;
  changed: number;
  items: EmploymentCheckItem[];
}

const REASON_CODES: Record<EmploymentChangeKind, string> = {
  stop: 'EMPLOYMENT_DUTY_STOP',
  restored: 'EMPLOYMENT_DUTY_RESTORED',
  'stop-lifted': 'EMPLOYMENT_DUTY_STOP_LIFTED',
  'seventh-payment': 'IDP_SEVENTH_PAYMENT',
};

/** Field by field (the stored facts are jsonb: their key order is not kept). */
function sameStop(a: EmploymentStop | undefined, b: EmploymentStop | undefined): boolean {
  if (!a || !b) return a === b;
  const keys: (keyof EmploymentStop)[] = [
    'termStart',
    'termEndMonth',
    'extended',
    'deadline',
    'fromMonth',
    'restoredFromMonth',
    'restoredBy',
    'ruleId',
    'legalRef',
  ];
  return keys.every((k) => (a[k] ?? null) === (b[k] ?? null));
}

/**
 * The employment duty and the 7th payment of the IDP allowance, applied on a day (daily, or when staff or
 * the system ask): for every open IDP assignment, each member's stop (from the month after the deadline),
 * restoration (from the month of the step, within the term, from 26.08.2025) and the one-time extra month
 * amount are computed from the employment facts known on that day and written as a new assignment version
 * through AssignmentsService.recalculateInTx (its differences: negative for months taken away, positive
 * for restored months and the 7th payment). Idempotent: a second run on the same facts changes nothing.
 * The act leaves no discretion here, so nothing waits for a second person.
 */
@Injectable()
export class EmploymentService {
  constructor(
    private readonly db: TransactionHost,
    private readonly repo: EmploymentRepository,
    private readonly assignments: AssignmentsService,
    private readonly assignmentsRepo: AssignmentsRepository,
    private readonly params: ParameterTable,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  today(): CalendarDate {
    return this.clock.today();
  }

  async check(principal: Principal, on: CalendarDate | undefined): Promise<EmploymentCheckResult> {
    const day = on ?? this.today();
    if (day > this.today())
      throw DomainError.unprocessable(EmploymentErrorCode.CHECK_DATE_IN_FUTURE, `the check date ${day} is later than today`, 'on');
    const out: EmploymentCheckResult = { on: day, checked: 0, changed: 0, items: [] };
    for (const id of await this.assignmentsRepo.openIdsOfProgramme(IDP_PROGRAMME_CODE)) {
      const item = await this.db.run(async () => {
        const a = await this.assignmentsRepo.lockById(id);
        if (!a || a.status === 'terminated' || !canAccessTerritory(principal, a.katottg)) return null;
        return this.checkAssignment(principal, a, day);
      });
      if (item === null) continue;
      out.checked++;
      if (item.changes.length > 0) {
        out.changed++;
        out.items.push(item);
      }
    }
    return out;
  }

  /** The employment duty and the 7th payment for one assignment on a day, in the caller's transaction. */
  async checkAssignment(principal: Principal, a: AssignmentRecord, on: CalendarDate): Promise<EmploymentCheckItem> {
    const terms = termsOf(a, await this.assignmentsRepo.extensionMonths(a.id));
    const facts = structuredClone(a.facts) as IdpFacts;
    const members = facts.members as IdpMemberFact[];
    const byPerson = await this.repo.employmentFactsOf(members.map((m) => m.personId));
    const changes: EmploymentChange[] = [];
    for (const m of members) {
      const engagements = engagementsOf(byPerson.get(m.personId) ?? []);
      const stops: EmploymentStop[] = [];
      for (const term of terms) {
        const previous = m.employmentStops?.find((s) => s.termStart === term.start);
        if (firstOfMonth(term.fromMonth) > on) {
          if (previous) stops.push(previous);
          continue;
        }
        const duty = employmentDuty({
          member: m,
          family: members,
          applicantPersonId: facts.applicantPersonId,
          termStart: term.start,
          termEndMonth: term.endMonth,
          extended: term.extended,
          engagements,
          on,
        });
        const next = duty.kind === 'stop' ? duty.stop : undefined;
        if (next) stops.push(next);
        if (sameStop(previous, next)) continue;
        if (next && (!previous || previous.fromMonth !== next.fromMonth || next.restoredFromMonth === null)) {
          changes.push({
            personId: m.personId,
            change: 'stop',
            termStart: term.start,
            fromMonth: next.fromMonth,
            deadline: next.deadline,
            amountKopiyky: null,
            text: `${duty.why}: the share stops from ${next.fromMonth}${next.restoredFromMonth ? `, restored from ${next.restoredFromMonth} (${next.restoredBy})` : ''} — ${next.legalRef}`,
          });
        } else if (next && next.restoredFromMonth !== null) {
          changes.push({
            personId: m.personId,
            change: 'restored',
            termStart: term.start,
            fromMonth: next.restoredFromMonth,
            deadline: next.deadline,
            amountKopiyky: null,
            text: `${next.restoredBy}: the share stopped from ${next.fromMonth} is paid again from ${next.restoredFromMonth} within the term — ${next.legalRef}; restoration from 26.08.2025`,
          });
        } else if (!next && previous) {
          changes.push({
            personId: m.personId,
            change: 'stop-lifted',
            termStart: term.start,
            fromMonth: previous.fromMonth,
            deadline: previous.deadline,
            amountKopiyky: null,
            text: `${duty.why}: the stop from ${previous.fromMonth} is lifted (the step was taken in time) — ${previous.legalRef}`,
          });
        }
      }
      if (stops.length > 0) m.employmentStops = stops;
      else delete m.employmentStops;
    }
    for (const term of terms) {
      if (on <= lastOfMonth(term.endMonth)) continue;
      for (const m of members) {
        const id = `idp.seventh-payment:${m.personId}:${term.endMonth}`;
        if ((facts.extraPayments ?? []).some((x) => x.id === id)) continue;
        const engagements = engagementsOf(byPerson.get(m.personId) ?? []);
        const r = seventhPayment({
          member: m,
          termFromMonth: term.fromMonth,
          termEndMonth: term.endMonth,
          engagements,
          on,
          monthlyAmountKopiyky: idpMemberAmount(m, term.endMonth, this.params),
        });
        if (r.kind !== 'grant') continue;
        facts.extraPayments = [...(facts.extraPayments ?? []), r.payment];
        changes.push({
          personId: m.personId,
          change: 'seventh-payment',
          termStart: term.start,
          fromMonth: term.endMonth,
          deadline: null,
          amountKopiyky: r.payment.amountKopiyky,
          text: `${r.payment.text}: one extra month amount added to ${term.endMonth} — ${r.payment.legalRef}`,
        });
      }
    }
    if (changes.length === 0) {
      // Nothing that pays differently; keep the facts as computed (e.g. a stop recomputed identically) without a version.
      return { assignmentId: a.id, version: a.version, outcome: 'unchanged', changes };
    }
    const reason: Reason = {
      code: REASON_CODES[changes[0]!.change],
      text: `employment check on ${on}: ${changes.map((c) => `member ${c.personId}: ${c.text}`).join('; ')}`,
    };
    const rule = EmploymentDutyRules[0]!;
    const note = node({ id: 'idp.employment-check', title: 'Employment duty and 7th payment checked', legalRef: rule.legalRef }, 'info', {
      on,
      terms,
      changes,
    });
    const outcome = await this.assignments.recalculateInTx(a, facts, reason, principal.id, undefined, note);
    await this.audit.recordAction(principal, 'employment-check', 'assignment', [a.id], `employment duty check on ${on}`);
    const after = await this.assignmentsRepo.findById(a.id);
    return { assignmentId: a.id, version: after?.version ?? a.version, outcome, changes };
  }
}
