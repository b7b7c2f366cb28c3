import { DomainError } from '@eisss/platform';
import { CaseErrorCode } from './case.errors';

/**
 * The life of a case: request → needs assessment → decision → individual plan → contract and provision → closure.
 * A case may be returned to be re-routed to another registrar body from the first two stages; re-routing
 * puts it back where it was. Nothing else is allowed.
 */
export const CaseStatuses = ['open', 'assessed', 'decided', 'refused', 'plan_approved', 'in_service', 'returned', 'closed'] as const;
export type CaseStatus = (typeof CaseStatuses)[number];

export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  open: ['assessed', 'returned', 'closed'],
  assessed: ['decided', 'refused', 'returned', 'closed'],
  decided: ['plan_approved', 'closed'],
  refused: ['assessed', 'closed'],
  plan_approved: ['in_service', 'closed'],
  in_service: ['closed'],
  returned: ['open', 'assessed', 'closed'],
  closed: [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** Throws 409 CASE_ILLEGAL_TRANSITION with details { from, to } when the move is not allowed. */
export function assertTransition(from: CaseStatus, to: CaseStatus): void {
  if (!canTransition(from, to)) {
    throw DomainError.conflict(CaseErrorCode.CASE_ILLEGAL_TRANSITION, `a case cannot move from ${from} to ${to}`, undefined, { from, to });
  }
}

/** What each action does to the status: the statuses it may start from and where it leads. */
export const CaseActions = {
  assess: { from: ['open', 'refused'], to: 'assessed' },
  grant: { from: ['assessed'], to: 'decided' },
  refuse: { from: ['assessed'], to: 'refused' },
  approvePlan: { from: ['decided'], to: 'plan_approved' },
  signContract: { from: ['plan_approved'], to: 'in_service' },
  return: { from: ['open', 'assessed'], to: 'returned' },
  /** Back from `returned` to the stage it left (`open` when that is not known): see `transition`. */
  reroute: { from: ['returned'], to: 'open' },
  close: { from: ['open', 'assessed', 'decided', 'refused', 'plan_approved', 'in_service', 'returned'], to: 'closed' },
} as const satisfies Record<string, { from: readonly CaseStatus[]; to: CaseStatus }>;
export type CaseAction = keyof typeof CaseActions;

/** The status an action leads to from `from`; 409 CASE_ILLEGAL_TRANSITION when the action is not allowed there. */
export function transitionFor(from: CaseStatus, action: CaseAction): CaseStatus {
  return transition({ status: from, returnedFrom: null }, action);
}

/** What the state machine needs to know of a case. */
export interface CaseState {
  status: CaseStatus;
  /** The stage a returned case left (re-routing resumes it). */
  returnedFrom: CaseStatus | null;
}

/**
 * The one way a case changes status: the status `action` leads to from the case's current state;
 * 409 CASE_ILLEGAL_TRANSITION (details { from, to, action }) when the action is not allowed there.
 * `reroute` resumes the stage the case was returned from.
 */
export function transition(current: CaseState, action: CaseAction): CaseStatus {
  const from = current.status;
  const a = CaseActions[action];
  if (!(a.from as readonly CaseStatus[]).includes(from)) {
    throw DomainError.conflict(CaseErrorCode.CASE_ILLEGAL_TRANSITION, `a case cannot ${action} from ${from} (to ${a.to})`, undefined, {
      from,
      to: a.to,
      action,
    });
  }
  const to: CaseStatus = action === 'reroute' ? (current.returnedFrom ?? a.to) : a.to;
  assertTransition(from, to);
  return to;
}
