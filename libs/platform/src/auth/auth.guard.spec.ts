import { Role } from '@eisss/contracts';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import jwt from 'jsonwebtoken';
import { DomainError } from '../errors/domain-error';
import { AuthGuard, Public, Roles, principalFromClaims, signToken } from './auth.guard';
import type { Principal } from './principal';

const SECRET = 'auth-guard-spec-secret';

class Routes {
  @Roles(Role.Treasurer) pay() {}
  @Roles(Role.Treasurer, Role.BudgetOfficer) report() {}
  open() {}
  @Public() health() {}
}

function contextFor(handler: keyof Routes, authorization?: string): { ctx: ExecutionContext; req: { headers: Record<string, string>; principal?: Principal } } {
  const req = { headers: authorization === undefined ? {} : { authorization } } as { headers: Record<string, string>; principal?: Principal };
  const ctx = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

/** A token signed with the right secret whatever its claims (the identity provider could issue it). */
function raw(claims: Record<string, unknown>, options: jwt.SignOptions = { expiresIn: 3600 }): string {
  return jwt.sign(claims, SECRET, { algorithm: 'HS256', ...options });
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

describe(AuthGuard.name, () => {
  const guard = new AuthGuard(new Reflector(), SECRET);
  const run = (handler: keyof Routes, token?: string) => {
    const { ctx, req } = contextFor(handler, token === undefined ? undefined : `Bearer ${token}`);
    return { ok: () => guard.canActivate(ctx), req };
  };

  it.each(['treasurerx', 'treasurer', 'treasurer,budget-officer'])('refuses 401 UNAUTHENTICATED when roles is the string %j', (roles) => {
    const e = refusal(() => run('pay', raw({ sub: 'u1', roles, territory: 'UA' })).ok());
    expect(e).toMatchObject({ code: 'UNAUTHENTICATED', kind: 'unauthorized' });
  });

  it('refuses 401 when the roles array holds an unknown role, even beside a known one', () => {
    expect(refusal(() => run('pay', raw({ sub: 'u1', roles: ['treasurer', 'treasurerx'], territory: 'UA' })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refusal(() => run('open', raw({ sub: 'u1', roles: ['Treasurer'], territory: 'UA' })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refusal(() => run('open', raw({ sub: 'u1', roles: [1], territory: 'UA' })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refusal(() => run('open', raw({ sub: 'u1', roles: { 0: 'treasurer' }, territory: 'UA' })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lets an array of known roles through @Roles and puts the principal on the request', () => {
    const { ok, req } = run('report', signToken(SECRET, { id: 'u1', roles: [Role.Officer, Role.BudgetOfficer], territory: 'UA80' }));
    expect(ok()).toBe(true);
    expect(req.principal).toEqual({ id: 'u1', roles: [Role.Officer, Role.BudgetOfficer], territory: 'UA80', personId: undefined });
  });

  it('refuses 403 FORBIDDEN when known roles do not include one @Roles asks for', () => {
    const e = refusal(() => run('pay', signToken(SECRET, { id: 'u1', roles: [Role.Officer], territory: 'UA' })).ok());
    expect(e).toMatchObject({ code: 'FORBIDDEN', kind: 'forbidden' });
  });

  it('lets a token without roles reach a route without @Roles, but not one with it', () => {
    expect(run('open', raw({ sub: 'u1', territory: 'UA' })).ok()).toBe(true);
    expect(refusal(() => run('pay', raw({ sub: 'u1', territory: 'UA' })).ok())).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses 401 a token without a subject or with an empty one', () => {
    expect(refusal(() => run('open', raw({ roles: [Role.Officer], territory: 'UA' })).ok())).toMatchObject({ code: 'UNAUTHENTICATED', message: 'token has no subject' });
    expect(refusal(() => run('open', raw({ sub: '', roles: [Role.Officer], territory: 'UA' })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each([['UA80x'], ['ua80'], ['80'], [''], ['UA' + '1'.repeat(18)], [80]])('refuses 401 a token whose territory is %j', (territory) => {
    expect(refusal(() => run('open', raw({ sub: 'u1', roles: [Role.Officer], territory })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses 401 a token without a territory claim', () => {
    expect(refusal(() => run('open', raw({ sub: 'u1', roles: [Role.Officer] })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses 401 a personId that is not a string', () => {
    expect(refusal(() => run('open', raw({ sub: 'c1', roles: [Role.Citizen], territory: 'UA', personId: 42 })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('accepts a token without exp (exp is not required yet) and refuses an expired one', () => {
    expect(run('open', raw({ sub: 'u1', roles: [Role.Officer], territory: 'UA' }, {})).ok()).toBe(true);
    const expired = raw({ sub: 'u1', roles: [Role.Officer], territory: 'UA', exp: Math.floor(Date.now() / 1000) - 60 }, {});
    expect(refusal(() => run('open', expired).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses 401 a missing header, a non-bearer header, a wrong secret and another algorithm', () => {
    expect(refusal(() => guard.canActivate(contextFor('open').ctx))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refusal(() => guard.canActivate(contextFor('open', 'Basic dTpw').ctx))).toMatchObject({ code: 'UNAUTHENTICATED' });
    const foreign = jwt.sign({ sub: 'u1', roles: [Role.Officer], territory: 'UA' }, 'another-secret', { algorithm: 'HS256' });
    expect(refusal(() => run('open', foreign).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    const hs512 = jwt.sign({ sub: 'u1', roles: [Role.Officer], territory: 'UA' }, SECRET, { algorithm: 'HS512' });
    expect(refusal(() => run('open', hs512).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    const unsigned = jwt.sign({ sub: 'u1', roles: [Role.Officer], territory: 'UA' }, '', { algorithm: 'none' } as jwt.SignOptions);
    expect(refusal(() => run('open', unsigned).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lets a @Public route through without a token', () => {
    expect(guard.canActivate(contextFor('health').ctx)).toBe(true);
  });
});

describe(principalFromClaims.name, () => {
  it('deduplicates roles and keeps a citizen personId', () => {
    expect(principalFromClaims({ sub: 'c1', roles: [Role.Citizen, Role.Citizen], territory: 'UA', personId: 'p-1' })).toEqual({ id: 'c1', roles: [Role.Citizen], territory: 'UA', personId: 'p-1' });
  });

  it('treats a null personId as none', () => {
    expect(principalFromClaims({ sub: 'u1', roles: [], territory: 'UA46', personId: null }).personId).toBeUndefined();
  });
});
