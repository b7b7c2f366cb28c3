import { DomainError } from '@eisss/platform';
import {
  CASE_TRANSITIONS,
  CaseActions,
  CaseStatuses,
  assertTransition,
  canTransition,
  transition,
  transitionFor,
  type CaseAction,
  type CaseStatus,
} from './case.state-machine';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected an error');
}

describe('case state machine', () => {
  const pairs = CaseStatuses.flatMap((from) => CaseStatuses.map((to) => [from, to] as [CaseStatus, CaseStatus]));
  const illegal = pairs.filter(([from, to]) => !CASE_TRANSITIONS[from].includes(to));
  const legal = pairs.filter(([from, to]) => CASE_TRANSITIONS[from].includes(to));

  it.each(illegal)('rejects %s → %s with 409 CASE_ILLEGAL_TRANSITION', (from, to) => {
    const e = errorOf(() => assertTransition(from, to));
    expect(e).toBeInstanceOf(DomainError);
    expect(e.kind).toBe('conflict');
    expect(e.code).toBe('CASE_ILLEGAL_TRANSITION');
    expect(e.details).toEqual({ from, to });
  });

  it.each(legal)('allows %s → %s', (from, to) => {
    expect(() => assertTransition(from, to)).not.toThrow();
    expect(canTransition(from, to)).toBe(true);
  });

  const actionPairs = CaseStatuses.flatMap((from) =>
    (Object.keys(CaseActions) as CaseAction[]).map((a) => [from, a] as [CaseStatus, CaseAction]),
  );

  it.each(actionPairs.filter(([from, a]) => !(CaseActions[a].from as readonly string[]).includes(from)))(
    'rejects action %s → %s with 409 and from/to',
    (from, action) => {
      const e = errorOf(() => transitionFor(from, action));
      expect(e.kind).toBe('conflict');
      expect(e.code).toBe('CASE_ILLEGAL_TRANSITION');
      expect(e.details).toMatchObject({ from, to: CaseActions[action].to, action });
    },
  );

  it.each(actionPairs.filter(([from, a]) => (CaseActions[a].from as readonly string[]).includes(from)))(
    'allows action %s → %s along a legal edge',
    (from, action) => {
      expect(transitionFor(from, action)).toBe(CaseActions[action].to);
    },
  );

  it('lets nothing leave a closed case', () => {
    expect(CASE_TRANSITIONS.closed).toEqual([]);
  });

  it('reaches closure through the statutory stages in order', () => {
    const path: CaseAction[] = ['assess', 'grant', 'approvePlan', 'signContract', 'close'];
    let s: CaseStatus = 'open';
    for (const a of path) s = transitionFor(s, a);
    expect(s).toBe('closed');
  });
});

describe(transition.name, () => {
  it('re-routes a returned case back to the stage it left', () => {
    expect(transition({ status: 'returned', returnedFrom: 'assessed' }, 'reroute')).toBe('assessed');
    expect(transition({ status: 'returned', returnedFrom: 'open' }, 'reroute')).toBe('open');
    expect(transition({ status: 'returned', returnedFrom: null }, 'reroute')).toBe('open');
  });

  it('refuses to re-route a case that was not returned with 409 and from/to', () => {
    const e = errorOf(() => transition({ status: 'assessed', returnedFrom: null }, 'reroute'));
    expect(e).toMatchObject({ code: 'CASE_ILLEGAL_TRANSITION', details: { from: 'assessed', to: 'open', action: 'reroute' } });
  });
});
