import { DomainError } from '@eisss/platform';
import type { StoredMonth } from '../assignments/recalculation';
import type { ApplicationFacts, ExplanationNode, StatusFact } from '../rules/rule-set';
import { ADMINISTRATIVE_PROCEDURE_LAW } from './appeal-deadline';
import { AppealErrorCode } from './appeals.errors';

/** A reviewer's correction of the facts a decision was taken on (what the appeal showed to be wrong). */
export interface MemberCorrection {
  personId: string;
  /** null: the person is alive (a wrong death record); a date: the corrected date. */
  deathDate?: string | null;
  /** Statuses to set: an existing status of the type gets these dates, otherwise it is added. */
  statuses?: { type: string; validFrom: string; validTo: string | null; details?: Record<string, unknown> }[];
  /** Status types to remove from the person's facts. */
  removeStatuses?: string[];
  stillborn?: boolean;
  fullStateSupport?: boolean;
  parentalRightsDeprived?: boolean;
  mobilised?: boolean;
  studying?: boolean;
}

/** The facts with the reviewer's corrections applied (a copy; a correction of an unknown person is refused). */
export function applyCorrections(facts: ApplicationFacts, corrections: MemberCorrection[] = []): ApplicationFacts {
  const out: ApplicationFacts = structuredClone(facts);
  corrections.forEach((c, i) => {
    const m = out.members.find((x) => x.personId === c.personId);
    if (!m)
      throw DomainError.unprocessable(
        AppealErrorCode.APPEAL_CORRECTION_PERSON_UNKNOWN,
        'the person is not in the facts of the appealed decision',
        `corrections[${i}].personId`,
      );
    if (c.deathDate !== undefined) m.deathDate = c.deathDate;
    for (const flag of ['stillborn', 'fullStateSupport', 'parentalRightsDeprived', 'mobilised', 'studying'] as const)
      if (c[flag] !== undefined) m[flag] = c[flag];
    if (c.removeStatuses?.length) m.statuses = m.statuses.filter((s) => !c.removeStatuses!.includes(s.type));
    for (const s of c.statuses ?? []) {
      const existing = m.statuses.find((x) => x.type === s.type);
      const fact: StatusFact = {
        statusId: existing?.statusId ?? null,
        type: s.type,
        validFrom: s.validFrom,
        validTo: s.validTo,
        details: s.details ?? existing?.details ?? {},
      };
      if (existing) Object.assign(existing, fact);
      else m.statuses.push(fact);
    }
  });
  return out;
}

/**
 * The months with the appealed act annulled: the previous version's months from the month the act took
 * effect, the current months before it (a later act's earlier months are kept as they are).
 */
export function annulledMonths(current: StoredMonth[], previous: StoredMonth[], effectiveFrom: string): StoredMonth[] {
  const byMonth = new Map<string, StoredMonth>();
  for (const m of current) if (m.month < effectiveFrom) byMonth.set(m.month, m);
  for (const m of previous)
    if (m.month >= effectiveFrom) byMonth.set(m.month, { ...m, explanation: `${m.explanation} (restored on appeal)` });
  return [...byMonth.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
}

export interface AppealNodeFacts {
  appealId: string;
  kind: string;
  status: string;
  filedOn: string;
  dueOn: string;
  channel: string;
  filedAs: string;
  grounds: string;
  assignmentId?: string | null;
  assignmentVersion?: number | null;
  outcome?: string;
  reviewedBy?: string;
  reviewedOn?: string;
  reasoning?: string;
  result?: Record<string, unknown>;
}

/** The appeal as a node of the decision's (and the assignment's) explanation. */
export function appealNode(f: AppealNodeFacts, children?: ExplanationNode[]): ExplanationNode {
  const outcome = f.status === 'upheld' ? 'passed' : f.status === 'dismissed' ? 'failed' : 'info';
  const title =
    f.status === 'open'
      ? `Скарга на рішення (${f.kind}): на розгляді до ${f.dueOn}`
      : f.status === 'upheld'
        ? `Скаргу задоволено (${f.kind})`
        : `Скаргу залишено без задоволення (${f.kind})`;
  return {
    rule: 'appeal',
    title,
    legalRef: ADMINISTRATIVE_PROCEDURE_LAW,
    outcome,
    facts: { ...f },
    parameters: [],
    ...(children?.length ? { children } : {}),
  };
}

/** The explanation with the node of this appeal put in (replacing an earlier state of it). */
export function withAppealNode(explanation: ExplanationNode, n: ExplanationNode): ExplanationNode {
  const id = n.facts.appealId;
  const children = (explanation.children ?? []).filter((c) => !(c.rule === 'appeal' && c.facts.appealId === id));
  return { ...explanation, children: [...children, n] };
}
