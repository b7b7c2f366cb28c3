import type { FindingDecidedV1, FindingRaisedV1, PayloadOf } from '@eisss/contracts';
import { Clock, DomainError, addMonthsToMonth, monthOf } from '@eisss/platform';
import { Injectable, Logger } from '@nestjs/common';
import { AssignmentsRepository, type AssignmentRecord } from '../assignments/assignments.repository';
import { AssignmentsService } from '../assignments/assignments.service';
import type { IdpMemberFact, ShareStop } from '../rules/idp-living-allowance.rules';
import { node, type ApplicationFacts, type ExplanationNode, type Reason } from '../rules/rule-set';
import { clampToPeriod, discretionOf, findingRuleFor, stopMonth, type Discretion, type FindingRuleRow } from './finding-rules';
import { findingTableOf } from './finding-tables';
import { FindingErrorCode } from './findings.errors';
import {
  FindingsRepository,
  type FindingActionRecord,
  type FindingDecision,
  type FindingPayload,
  type FindingRecord,
} from './findings.repository';

type Raised = PayloadOf<typeof FindingRaisedV1>;
type Decided = PayloadOf<typeof FindingDecidedV1>;

const SCOPE_TEXT: Record<FindingRuleRow['scope'], string> = {
  member: "the member's share stops",
  assignment: 'the assignment stops',
  death: 'the share (the assignment, for the recipient) stops',
};

function deathDateOf(f: FindingPayload): string {
  const fromEvidence = f.evidence
    .map((e) => e.facts.dateOfDeath ?? e.facts.deathDate)
    .find((d): d is string => typeof d === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(d));
  const deathDate = f.effectiveDate ?? fromEvidence;
  if (!deathDate) throw DomainError.unprocessable(FindingErrorCode.DEATH_DATE_MISSING, 'a death finding without a date of death');
  return deathDate;
}

/**
 * Carries out verification findings on assignments as each programme's rule set says (see
 * FindingRuleRow): at once where the act leaves no discretion, otherwise when an officer accepts the
 * finding; a rejected finding changes nothing. Every action is a new assignment version whose months
 * are recomputed and whose differences (negative for months already paid without right) the treasury
 * turns into overpayments; its reason and explanation cite the finding, the rule and the clause.
 * A finding acts once, whatever is delivered again.
 */
@Injectable()
export class FindingsService {
  private readonly log = new Logger(FindingsService.name);

  constructor(
    private readonly findings: FindingsRepository,
    private readonly assignments: AssignmentsService,
    private readonly assignmentsRepo: AssignmentsRepository,
    private readonly clock: Clock,
  ) {}

  /** FindingRaisedV1: recorded; carried out now when no discretion is left, else it waits for the decision. */
  async onRaised(p: Raised, actor: string): Promise<FindingRecord> {
    const open = await this.openAssignments(p.finding, p.assignmentIds);
    const rec = await this.findings.upsertAndLock({
      finding: p.finding,
      kind: p.kind,
      discretion: this.discretion(p.finding, open),
      assignmentIds: p.assignmentIds,
    });
    if (rec.status !== 'awaiting_decision' || rec.discretion !== 'none') return rec;
    return this.act(rec, open, null, actor);
  }

  /** FindingDecidedV1: an accepted finding is carried out (once); a rejected one is recorded and changes nothing. */
  async onDecided(p: Decided, actor: string): Promise<FindingRecord> {
    const open = await this.openAssignments(p.finding, p.assignmentIds);
    const rec = await this.findings.upsertAndLock({
      finding: p.finding,
      kind: null,
      discretion: this.discretion(p.finding, open),
      assignmentIds: p.assignmentIds,
    });
    const decision: FindingDecision = { decision: p.decision, reason: p.reason, decidedBy: p.decidedBy, decidedAt: p.decidedAt };
    if (rec.status !== 'awaiting_decision') {
      if (rec.status === 'acted' && p.decision === 'rejected')
        this.log.warn(
          `finding ${rec.findingId} was rejected after it had been carried out (the act left no discretion): nothing is changed`,
        );
      return rec;
    }
    if (p.decision === 'rejected') {
      await this.findings.markRejected(rec.findingId, decision);
      return { ...rec, status: 'rejected', decision };
    }
    return this.act(rec, open, decision, actor);
  }

  private today(): string {
    return this.clock.today();
  }

  private async openAssignments(f: FindingPayload, assignmentIds: string[]): Promise<AssignmentRecord[]> {
    const open = await this.assignmentsRepo.lockOpenByPerson(f.personId);
    return open.filter((a) => assignmentIds.length === 0 || assignmentIds.includes(a.id));
  }

  private rowFor(programmeCode: string, f: FindingPayload): FindingRuleRow | undefined {
    const table = findingTableOf(programmeCode);
    return table ? findingRuleFor(table, f.rule, f.effectiveDate ?? this.today()) : undefined;
  }

  /** The finding's own discretion, else the act's (the first programme row found), else none for a death only. */
  private discretion(f: FindingPayload, open: AssignmentRecord[]): Discretion {
    const row = open.map((a) => this.rowFor(a.programmeCode, f)).find((r) => r !== undefined);
    return discretionOf(f, row);
  }

  private async act(rec: FindingRecord, open: AssignmentRecord[], decision: FindingDecision | null, actor: string): Promise<FindingRecord> {
    const actions: FindingActionRecord[] = [];
    if (rec.finding.recommendedAction !== 'none') {
      for (const a of open) actions.push(await this.actOn(a, rec, decision, actor));
    }
    await this.findings.markActed(rec.findingId, actions, actor, decision);
    return { ...rec, status: 'acted', actions, decision: decision ?? rec.decision };
  }

  private async actOn(
    a: AssignmentRecord,
    rec: FindingRecord,
    decision: FindingDecision | null,
    actor: string,
  ): Promise<FindingActionRecord> {
    const f = rec.finding;
    const row = this.rowFor(a.programmeCode, f);
    const base = {
      assignmentId: a.id,
      programmeCode: a.programmeCode,
      ruleRowId: row?.id ?? null,
      scope: row?.scope ?? null,
      legalRef: row?.legalRef ?? null,
    };
    if (!row) {
      if (f.rule !== 'death') return { ...base, outcome: 'no_rule', fromMonth: null, version: null };
      // A programme whose rule set says nothing of findings: a death is recalculated by its own rules, as before.
      const deathDate = deathDateOf(f);
      const source = `verification finding ${f.findingId} (rule death)`;
      const recipient = a.recipientPersonId === f.personId;
      const facts: ApplicationFacts = structuredClone(a.facts);
      const member = facts.members.find((m) => m.personId === f.personId);
      if (member) member.deathDate = deathDate;
      const reason = recipient
        ? { code: 'RECIPIENT_DIED', text: `the recipient died on ${deathDate} (${source})` }
        : { code: 'MEMBER_DIED', text: `a member died on ${deathDate} (${source})` };
      return this.recalculate(
        a,
        facts,
        reason,
        actor,
        { ...base, fromMonth: addMonthsToMonth(monthOf(deathDate), 1) },
        recipient ? monthOf(deathDate) : undefined,
      );
    }

    const facts: ApplicationFacts = structuredClone(a.facts);
    const member = facts.members.find((m) => m.personId === f.personId) as IdpMemberFact | undefined;
    const recipient = a.recipientPersonId === f.personId;
    const effectiveDate = row.scope === 'death' ? deathDateOf(f) : (f.effectiveDate ?? this.today());
    const from = clampToPeriod(stopMonth(row, effectiveDate), a);
    const note = this.explanation(row, rec, decision, effectiveDate, from);
    if (row.scope === 'death') {
      // The death is a fact of the assignment even after its term; the recipient's death ends it (from the next month, or after the term).
      if (member) member.deathDate = effectiveDate;
      const fromMonth = from ?? addMonthsToMonth(a.periodTo, 1);
      const reason = this.reason(row, rec, decision, fromMonth, recipient);
      return this.recalculate(
        a,
        facts,
        reason,
        actor,
        { ...base, fromMonth },
        recipient ? addMonthsToMonth(fromMonth, -1) : undefined,
        note,
      );
    }
    if (from === null) return { ...base, outcome: 'after_term', fromMonth: stopMonth(row, effectiveDate), version: null };
    const reason = this.reason(row, rec, decision, from, recipient);
    switch (row.scope) {
      case 'member': {
        if (!member) return { ...base, outcome: 'not_a_member', fromMonth: from, version: null };
        const stop: ShareStop = { fromMonth: from, findingId: f.findingId, rule: f.rule, ruleRowId: row.id, legalRef: row.legalRef };
        member.shareStops = [...(member.shareStops ?? []).filter((s) => s.findingId !== f.findingId), stop];
        return this.recalculate(a, facts, reason, actor, { ...base, fromMonth: from }, undefined, note);
      }
      case 'assignment':
        return this.recalculate(a, facts, reason, actor, { ...base, fromMonth: from }, addMonthsToMonth(from, -1), note);
    }
  }

  private async recalculate(
    a: AssignmentRecord,
    facts: ApplicationFacts,
    reason: Reason,
    actor: string,
    base: Omit<FindingActionRecord, 'outcome' | 'version'>,
    lastMonth?: string,
    note?: ExplanationNode,
  ): Promise<FindingActionRecord> {
    const outcome = await this.assignments.recalculateInTx(a, facts, reason, actor, lastMonth, note);
    const after = await this.assignmentsRepo.findById(a.id);
    return { ...base, outcome, version: outcome === 'unchanged' ? null : (after?.version ?? null) };
  }

  private reason(row: FindingRuleRow, rec: FindingRecord, decision: FindingDecision | null, from: string, recipient: boolean): Reason {
    const f = rec.finding;
    const code = row.scope === 'death' ? (recipient ? 'RECIPIENT_DIED' : 'MEMBER_DIED') : row.reasonCode;
    const what =
      row.scope === 'death'
        ? recipient
          ? 'the recipient died: the assignment stops'
          : "a member died: the member's share stops"
        : SCOPE_TEXT[row.scope];
    const restoration = row.restoration === 'none' ? 'without restoration' : 'restored within the term once the condition is met';
    const how = decision ? `accepted by ${decision.decidedBy}: ${decision.reason}` : 'carried out at once (the act leaves no discretion)';
    const basis = f.legalBasis && f.legalBasis !== row.legalRef ? `; verification cites ${f.legalBasis}` : '';
    return {
      code,
      text: `finding ${f.findingId} (rule ${f.rule}${rec.kind ? `, ${rec.kind}` : ''}, effective ${f.effectiveDate ?? 'not stated'}): ${what} from ${from}, ${restoration} — ${row.legalRef} [${row.id}]; ${how}${basis}`,
    };
  }

  private explanation(
    row: FindingRuleRow,
    rec: FindingRecord,
    decision: FindingDecision | null,
    effectiveDate: string,
    from: string | null,
  ): ExplanationNode {
    const f = rec.finding;
    return node({ id: row.id, title: row.title, legalRef: row.legalRef }, 'failed', {
      findingId: f.findingId,
      rule: f.rule,
      kind: rec.kind,
      personId: f.personId,
      effectiveDate,
      fromMonth: from,
      scope: row.scope,
      restoration: row.restoration,
      discretion: rec.discretion,
      decision: decision
        ? { decision: decision.decision, decidedBy: decision.decidedBy, reason: decision.reason, decidedAt: decision.decidedAt }
        : null,
      legalBasis: f.legalBasis ?? null,
      evidence: f.evidence.map((e) => ({ source: e.source, reference: e.reference })),
    });
  }
}
