import { Role } from '@eisss/contracts';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SignJWT, calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, type JWK, type KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_ISSUER, TEST_JWKS, signTestToken } from '../../../testing/src/test-keys';
import { DomainError } from '../errors/domain-error';
import { KNOWN_DEVELOPMENT_KEY_THUMBPRINTS, jwkThumbprint, type PublicJwk } from './auth-config';
import { AuthGuard, Public, Roles, principalFromClaims } from './auth.guard';
import type { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

const ISSUER = 'https://idp.spec.invalid/realms/spec';
const AUDIENCE = 'payments-treasury';

class Routes {
  @Roles(Role.Treasurer) pay() {}
  @Roles(Role.Treasurer, Role.BudgetOfficer) report() {}
  open() {}
  @Public() health() {}
}

function contextFor(
  handler: keyof Routes,
  authorization?: string,
): { ctx: ExecutionContext; req: { headers: Record<string, string>; principal?: Principal } } {
  const req = { headers: authorization === undefined ? {} : { authorization } } as {
    headers: Record<string, string>;
    principal?: Principal;
  };
  const ctx = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

async function refusal(attempt: Promise<unknown>): Promise<DomainError> {
  try {
    await attempt;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

interface SigningKey {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function signingKey(alg: 'RS256' | 'ES256', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

interface TokenOptions {
  key?: SigningKey;
  issuer?: string | null;
  audience?: string | string[] | null;
  exp?: boolean | number;
  kid?: string;
}

describe(AuthGuard.name, () => {
  let rsa: SigningKey;
  let ec: SigningKey;
  let guard: AuthGuard;

  /** A token of the provider (or, by the options, of another issuer, audience, key) whatever its claims. */
  const token = async (claims: Record<string, unknown>, o: TokenOptions = {}): Promise<string> => {
    const key = o.key ?? rsa;
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: o.kid ?? key.kid, typ: 'JWT' }).setIssuedAt();
    if (o.issuer !== null) jwt.setIssuer(o.issuer ?? ISSUER);
    if (o.audience !== null) jwt.setAudience(o.audience ?? ['account', AUDIENCE, 'e-budget']);
    if (o.exp !== false) jwt.setExpirationTime(typeof o.exp === 'number' ? o.exp : '1h');
    return jwt.sign(key.privateKey);
  };
  const user = (extra: Record<string, unknown> = {}) => ({ sub: 'u1', roles: [Role.Officer], territory: 'UA', ...extra });
  const run = (handler: keyof Routes, bearer?: string) => {
    const { ctx, req } = contextFor(handler, bearer === undefined ? undefined : `Bearer ${bearer}`);
    return { ok: () => guard.canActivate(ctx), req };
  };

  beforeAll(async () => {
    rsa = await signingKey('RS256', 'rsa-1');
    ec = await signingKey('ES256', 'ec-1');
    guard = new AuthGuard(
      new Reflector(),
      new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [rsa.jwk, ec.jwk] }, refuseDevelopmentKeys: false }),
    );
  });

  it.each(['RS256', 'ES256'] as const)('accepts a %s token of the provider and puts the principal on the request', async (alg) => {
    const { ok, req } = run(
      'report',
      await token({ sub: 'u1', roles: [Role.Officer, Role.BudgetOfficer], territory: 'UA80' }, { key: alg === 'RS256' ? rsa : ec }),
    );
    await expect(ok()).resolves.toBe(true);
    expect(req.principal).toEqual({ id: 'u1', roles: [Role.Officer, Role.BudgetOfficer], territory: 'UA80', personId: undefined });
  });

  it('accepts a token whose aud is the service alone (a string)', async () => {
    await expect(run('open', await token(user(), { audience: AUDIENCE })).ok()).resolves.toBe(true);
  });

  it.each<[string, TokenOptions, RegExp]>([
    ['from another issuer', { issuer: 'https://idp.other.invalid/realms/spec' }, /"iss"/],
    ['without an issuer', { issuer: null }, /"iss"/],
    ['for another audience', { audience: ['e-budget', 'account'] }, /"aud"/],
    ['without an audience', { audience: null }, /"aud"/],
    ['without exp', { exp: false }, /"exp"/],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 120 }, /"exp"/],
  ])('refuses 401 UNAUTHENTICATED a token %s', async (_, options, reason) => {
    const e = await refusal(run('open', await token(user(), options)).ok());
    expect(e).toMatchObject({ code: 'UNAUTHENTICATED', kind: 'unauthorized' });
    expect(e.message).toMatch(reason);
  });

  it('refuses 401 a token without a subject or with an empty one', async () => {
    expect(await refusal(run('open', await token({ roles: [Role.Officer], territory: 'UA' })).ok())).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/"sub"/),
    });
    expect(await refusal(run('open', await token(user({ sub: '' }))).ok())).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'token has no subject',
    });
  });

  it('refuses 401 an HS256 token, whether signed with a valid-looking secret or with the public key as the secret', async () => {
    const claims = user();
    for (const secret of [
      'dev-only-jwt-secret-change-me',
      'test-only-jwt-secret-0123456789',
      await exportSPKI((await generateKeyPair('RS256')).publicKey),
    ]) {
      const hs256 = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(secret));
      const e = await refusal(run('open', hs256).ok());
      expect(e).toMatchObject({ code: 'UNAUTHENTICATED', kind: 'unauthorized' });
    }
  });

  it('refuses 401 an unsigned token, a token signed by a key outside the JWKS, a tampered token and garbage', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none' })}.${b64({ ...user(), iss: ISSUER, aud: AUDIENCE, exp: now + 600 })}.`;
    const stranger = await signingKey('RS256', rsa.kid); // same kid, another key
    const good = await token(user());
    const [h, , s] = good.split('.');
    const tampered = `${h}.${b64({ ...user({ roles: [Role.Treasurer] }), iss: ISSUER, aud: AUDIENCE, exp: now + 600 })}.${s}`;
    for (const bad of [
      unsigned,
      await token(user(), { key: stranger }),
      await token(user(), { kid: 'unknown-kid' }),
      tampered,
      'not-a-jwt',
    ]) {
      expect(await refusal(run('open', bad).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses 401 a missing header and a non-bearer header', async () => {
    expect(await refusal(guard.canActivate(contextFor('open').ctx))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await refusal(guard.canActivate(contextFor('open', 'Basic dTpw').ctx))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each(['treasurerx', 'treasurer', 'treasurer,budget-officer'])(
    'refuses 401 UNAUTHENTICATED when roles is the string %j',
    async (roles) => {
      expect(await refusal(run('pay', await token(user({ roles }))).ok())).toMatchObject({ code: 'UNAUTHENTICATED', kind: 'unauthorized' });
    },
  );

  it('refuses 401 when the roles array holds an unknown role (Keycloak’s own default roles too), even beside a known one', async () => {
    for (const roles of [
      ['treasurer', 'treasurerx'],
      ['Treasurer'],
      [1],
      { 0: 'treasurer' },
      ['officer', 'default-roles-eisss'],
      ['offline_access'],
    ]) {
      expect(await refusal(run('open', await token(user({ roles }))).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('reads the top-level roles claim only, not Keycloak’s realm_access.roles', async () => {
    const { ok, req } = run('open', await token({ sub: 'u1', territory: 'UA', realm_access: { roles: [Role.Treasurer] } }));
    await expect(ok()).resolves.toBe(true);
    expect(req.principal?.roles).toEqual([]);
    expect(
      await refusal(run('pay', await token({ sub: 'u1', territory: 'UA', realm_access: { roles: [Role.Treasurer] } })).ok()),
    ).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses 403 FORBIDDEN when known roles do not include one @Roles asks for', async () => {
    expect(await refusal(run('pay', await token(user())).ok())).toMatchObject({ code: 'FORBIDDEN', kind: 'forbidden' });
  });

  it('lets a token without roles reach a route without @Roles, but not one with it', async () => {
    await expect(run('open', await token({ sub: 'u1', territory: 'UA' })).ok()).resolves.toBe(true);
    expect(await refusal(run('pay', await token({ sub: 'u1', territory: 'UA' })).ok())).toMatchObject({ code: 'FORBIDDEN' });
  });

  it.each([['UA80x'], ['ua80'], ['80'], [''], ['UA' + '1'.repeat(18)], [80]])(
    'refuses 401 a token whose territory is %j',
    async (territory) => {
      expect(await refusal(run('open', await token(user({ territory }))).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    },
  );

  it('refuses 401 a token without a territory claim and a personId that is not a string', async () => {
    expect(await refusal(run('open', await token({ sub: 'u1', roles: [Role.Officer] })).ok())).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await refusal(run('open', await token({ sub: 'c1', roles: [Role.Citizen], territory: 'UA', personId: 42 })).ok())).toMatchObject(
      { code: 'UNAUTHENTICATED' },
    );
  });

  it('lets a @Public route through without a token', async () => {
    await expect(guard.canActivate(contextFor('health').ctx)).resolves.toBe(true);
  });
});

describe(`${TokenVerifier.name} with the provider's JWKS URL`, () => {
  let server: Server;
  let url: URL;
  let served: { keys: JWK[] } | 'down' = { keys: [] };
  let fetches = 0;
  const principal = { sub: 'u1', roles: [Role.Officer], territory: 'UA46' };
  // A distinct token each time (jti), so that these tests see the key set, not the verified-token memory.
  const sign = (key: SigningKey) =>
    new SignJWT({ ...principal, jti: randomUUID() })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(key.privateKey);

  beforeAll(async () => {
    server = createServer((_, res) => {
      fetches++;
      if (served === 'down') res.writeHead(503).end('down');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/spec/protocol/openid-connect/certs`);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    fetches = 0;
  });

  it('fetches the keys once, and again when a token names a new kid (rotation); a retired key is refused', async () => {
    const first = await signingKey('RS256', 'k1');
    const second = await signingKey('ES256', 'k2');
    served = { keys: [first.jwk] };
    const verifier = new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: url, refuseDevelopmentKeys: false, cooldownMs: 0 });
    await expect(verifier.verify(await sign(first))).resolves.toMatchObject({ id: 'u1', territory: 'UA46' });
    await expect(verifier.verify(await sign(first))).resolves.toMatchObject({ id: 'u1' });
    expect(fetches).toBe(1);
    served = { keys: [second.jwk] }; // the provider rotated: k2 signs, k1 is gone
    await expect(verifier.verify(await sign(second))).resolves.toMatchObject({ id: 'u1' });
    expect(fetches).toBe(2);
    expect(await refusal(verifier.verify(await sign(first)))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a remembered token at once when its key left the provider’s key set', async () => {
    const old = await signingKey('RS256', 'k5');
    const fresh = await signingKey('ES256', 'k6');
    served = { keys: [old.jwk] };
    const verifier = new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: url, refuseDevelopmentKeys: false, cooldownMs: 0 });
    const remembered = await sign(old);
    await verifier.verify(remembered);
    await expect(verifier.verify(remembered)).resolves.toMatchObject({ id: 'u1' });
    expect(fetches).toBe(1);
    served = { keys: [fresh.jwk] };
    await verifier.verify(await sign(fresh)); // a token of the new key: the key set is fetched again, k5 is gone
    expect(await refusal(verifier.verify(remembered))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('does not re-fetch within the cooldown, however many unknown kids arrive', async () => {
    const known = await signingKey('RS256', 'k3');
    served = { keys: [known.jwk] };
    const verifier = new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: url, refuseDevelopmentKeys: false, cooldownMs: 60_000 });
    await verifier.verify(await sign(known));
    for (let i = 0; i < 3; i++)
      expect(await refusal(verifier.verify(await sign(await signingKey('RS256', `unknown-${i}`))))).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    expect(fetches).toBe(1);
  });

  it('answers 503 AUTH_PROVIDER_UNAVAILABLE when no keys can be fetched, and keeps the cached keys when the provider goes down later', async () => {
    const key = await signingKey('RS256', 'k4');
    served = 'down';
    const verifier = new TokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: url,
      refuseDevelopmentKeys: false,
      cooldownMs: 0,
      cacheMaxAgeMs: 1,
    });
    expect(await refusal(verifier.verify(await sign(key)))).toMatchObject({ code: 'AUTH_PROVIDER_UNAVAILABLE', kind: 'unavailable' });
    served = { keys: [key.jwk] };
    await expect(verifier.verify(await sign(key))).resolves.toMatchObject({ id: 'u1' });
    served = 'down';
    await new Promise((r) => setTimeout(r, 5)); // the cache is stale (max age 1 ms): the next call re-fetches and fails
    await expect(verifier.verify(await sign(key))).resolves.toMatchObject({ id: 'u1' });
    expect(fetches).toBeGreaterThanOrEqual(3);
    const unreachable = new TokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: new URL('http://127.0.0.1:1/certs'),
      refuseDevelopmentKeys: false,
    });
    expect(await refusal(unreachable.verify(await sign(key)))).toMatchObject({ code: 'AUTH_PROVIDER_UNAVAILABLE' });
  });
});

describe('development keys', () => {
  const claims = { sub: 'u1', roles: [Role.Treasurer], territory: 'UA' };

  it('lists the thumbprints of the committed test key pair, computed as jose computes them', async () => {
    for (const jwk of TEST_JWKS.keys) {
      expect(jwkThumbprint(jwk as PublicJwk)).toBe(await calculateJwkThumbprint(jwk));
      expect(KNOWN_DEVELOPMENT_KEY_THUMBPRINTS).toContain(jwkThumbprint(jwk as PublicJwk));
    }
  });

  it('accepts the test keys outside production and refuses them in production, even from a JWKS URL', async () => {
    const dev = new TokenVerifier({ issuer: TEST_ISSUER, audience: AUDIENCE, jwks: TEST_JWKS, refuseDevelopmentKeys: false });
    const prod = new TokenVerifier({ issuer: TEST_ISSUER, audience: AUDIENCE, jwks: TEST_JWKS, refuseDevelopmentKeys: true });
    for (const alg of ['RS256', 'ES256'] as const) {
      await expect(dev.verify(signTestToken(claims, { alg }))).resolves.toMatchObject({ id: 'u1', roles: [Role.Treasurer] });
      expect(await refusal(prod.verify(signTestToken(claims, { alg })))).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: expect.stringMatching(/development key/),
      });
    }
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TEST_JWKS)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const remote = new TokenVerifier({
        issuer: TEST_ISSUER,
        audience: AUDIENCE,
        jwks: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`),
        refuseDevelopmentKeys: true,
      });
      expect(await refusal(remote.verify(signTestToken(claims)))).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('makes test tokens without exp when asked, which the services refuse', async () => {
    const dev = new TokenVerifier({ issuer: TEST_ISSUER, audience: AUDIENCE, jwks: TEST_JWKS, refuseDevelopmentKeys: false });
    expect(await refusal(dev.verify(signTestToken(claims, { expiresInSeconds: null })))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('verified tokens remembered', () => {
  const claims = { sub: 'u1', roles: [Role.Officer], territory: 'UA46' };
  afterEach(() => jest.restoreAllMocks());

  it('checks the signature of a token once, answers a fresh principal each time, and no longer after its exp', async () => {
    const key = await signingKey('ES256', 'mem-1');
    const verifier = new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [key.jwk] }, refuseDevelopmentKeys: false });
    const signatures = jest.spyOn(verifier as unknown as { verifySignature: () => unknown }, 'verifySignature');
    const now = Date.now();
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(Math.floor(now / 1000) + 60)
      .sign(key.privateKey);
    const first = await verifier.verify(jwt);
    first.roles.push(Role.Supervisor); // a caller mutating its principal does not change the next answer
    first.serviceSession = { id: 's', personId: 'p', purpose: 'x', officeTerritory: 'UA46', expiresAt: '' };
    expect(await verifier.verify(jwt)).toEqual({ id: 'u1', roles: [Role.Officer], territory: 'UA46', personId: undefined });
    expect(signatures).toHaveBeenCalledTimes(1);
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      jest.setSystemTime(now + 120_000); // past exp and the clock tolerance
      expect(await refusal(verifier.verify(jwt))).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      jest.useRealTimers();
    }
    expect(signatures).toHaveBeenCalledTimes(2);
  });

  it('verifies every time when the cache is off, and keeps at most verifiedCacheSize tokens', async () => {
    const key = await signingKey('ES256', 'mem-2');
    const sign = (sub: string) =>
      new SignJWT({ ...claims, sub })
        .setProtectedHeader({ alg: key.alg, kid: key.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('1h')
        .sign(key.privateKey);
    const off = new TokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [key.jwk] },
      refuseDevelopmentKeys: false,
      verifiedCacheSize: 0,
    });
    const offChecks = jest.spyOn(off as unknown as { verifySignature: () => unknown }, 'verifySignature');
    const a = await sign('a');
    await off.verify(a);
    await off.verify(a);
    expect(offChecks).toHaveBeenCalledTimes(2);
    const small = new TokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [key.jwk] },
      refuseDevelopmentKeys: false,
      verifiedCacheSize: 2,
    });
    const checks = jest.spyOn(small as unknown as { verifySignature: () => unknown }, 'verifySignature');
    const [b, c] = [await sign('b'), await sign('c')];
    for (const t of [a, b, c, c, b]) await small.verify(t); // a is evicted when c arrives
    expect(checks).toHaveBeenCalledTimes(3);
    await small.verify(a);
    expect(checks).toHaveBeenCalledTimes(4);
  });
});

describe(principalFromClaims.name, () => {
  it('deduplicates roles and keeps a citizen personId', () => {
    expect(principalFromClaims({ sub: 'c1', roles: [Role.Citizen, Role.Citizen], territory: 'UA', personId: 'p-1' })).toEqual({
      id: 'c1',
      roles: [Role.Citizen],
      territory: 'UA',
      personId: 'p-1',
    });
  });

  it('treats a null personId as none', () => {
    expect(principalFromClaims({ sub: 'u1', roles: [], territory: 'UA46', personId: null }).personId).toBeUndefined();
  });
});
