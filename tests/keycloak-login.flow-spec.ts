import { Role } from '@eisss/contracts';
import { withRnokppChecksum } from '@eisss/platform';
import { REPO_ROOT, ServiceProcess, TestEnvironment, signTestToken } from '@eisss/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Issue 10, "done when": a Keycloak login yields a token that the services accept with the right
 * roles and territory. The project's Keycloak (scripts/infra/keycloak.sh ensure: started if it is not
 * running, with the realm of scripts/infra/keycloak/eisss-realm.json) issues the tokens: test users log
 * in at its token endpoint (password grant of the development client), the service account through
 * client credentials. social-register runs as a process that knows only Keycloak's issuer and JWKS URL.
 * Nothing is skipped: if Keycloak cannot start, beforeAll fails with its log.
 */
const PORT = process.env.KEYCLOAK_PORT ?? '8180';
const ISSUER = `http://127.0.0.1:${PORT}/realms/eisss`;
const TOKEN_URL = `${ISSUER}/protocol/openid-connect/token`;
/** A community of Lviv oblast (UA46) and one of Kyiv (UA80). */
const LVIV = 'UA46060250010015970';

interface Claims {
  iss: string;
  aud: string | string[];
  sub: string;
  exp: number;
  roles: string[];
  territory: string;
}

async function tokenOf(form: Record<string, string>): Promise<string> {
  const res = await fetch(TOKEN_URL, { method: 'POST', body: new URLSearchParams(form) });
  const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  expect({ status: res.status, error: body.error ?? null, description: body.error_description ?? null }).toEqual({
    status: 200,
    error: null,
    description: null,
  });
  return body.access_token!;
}

/** Logs in as a test user of the realm (password grant of the development client). */
const login = (username: string) =>
  tokenOf({ grant_type: 'password', client_id: 'eisss-dev-cli', username, password: 'dev-only-password', scope: 'openid' });

const decode = (jwt: string): { header: { alg: string; kid: string }; claims: Claims } => {
  const [h, p] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), claims: JSON.parse(Buffer.from(p, 'base64url').toString()) };
};

describe('Keycloak login', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const kc = spawnSync('bash', [join(REPO_ROOT, 'scripts/infra/keycloak.sh'), 'ensure'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 540_000,
    });
    if (kc.status !== 0)
      throw new Error(`scripts/infra/keycloak.sh ensure failed (exit ${kc.status ?? kc.signal}):\n${kc.stderr}\n${kc.stdout}`);
    env = await TestEnvironment.create();
    register = await ServiceProcess.start(
      'social-register',
      env.env('social-register', { AUTH_ISSUER: ISSUER, AUTH_JWKS: '', AUTH_JWKS_URL: `${ISSUER}/protocol/openid-connect/certs` }),
    );
    for (const user of ['registrar-ua46', 'officer-ua46', 'officer-ua80', 'supervisor-ua']) tokens[user] = await login(user);
  }, 600_000);

  afterAll(async () => {
    await register?.stop();
    await env?.destroy();
  });

  it('issues RS256 tokens with the realm as iss, the services in aud, exp, sub, the user’s roles and territory', () => {
    const { header, claims } = decode(tokens['officer-ua46']);
    expect(header.alg).toBe('RS256');
    expect(claims).toMatchObject({
      iss: ISSUER,
      roles: [Role.Officer],
      territory: 'UA46',
      sub: expect.any(String),
      exp: expect.any(Number),
    });
    expect(claims.aud).toEqual(
      expect.arrayContaining(['social-register', 'social-processing', 'verification', 'e-budget', 'payments-treasury', 'case-management']),
    );
    expect(decode(tokens['officer-ua80']).claims).toMatchObject({ roles: [Role.Officer], territory: 'UA80' });
    expect(decode(tokens['supervisor-ua']).claims).toMatchObject({ roles: [Role.Supervisor], territory: 'UA' });
  });

  it('lets the Lviv registrar register a Lviv person, the Lviv officer read it and records who read it; the Kyiv officer gets 403', async () => {
    const rnokpp = withRnokppChecksum(
      `${String(Math.round((Date.parse('1985-04-12T00:00:00Z') - Date.UTC(1899, 11, 31)) / 86_400_000)).padStart(5, '0')}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}2`,
    );
    const created = await register.request('POST', '/persons', {
      token: tokens['registrar-ua46'],
      body: {
        rnokpp,
        lastName: 'Коваль',
        firstName: 'Ірина',
        birthDate: '1985-04-12',
        sex: 'female',
        katottg: LVIV,
        registeredAddress: 'м. Львів, вул. Зелена, 5',
      },
    });
    expect({ status: created.status, error: created.body?.error ?? null }).toEqual({ status: 201, error: null });
    const id = created.body.id as string;

    const lviv = await register.request('GET', `/persons/${id}`, { token: tokens['officer-ua46'] });
    expect({ status: lviv.status, lastName: lviv.body?.lastName }).toEqual({ status: 200, lastName: 'Коваль' });

    const kyiv = await register.request('GET', `/persons/${id}`, { token: tokens['officer-ua80'] });
    expect({ status: kyiv.status, code: kyiv.body?.error?.code }).toEqual({ status: 403, code: 'TERRITORY_FORBIDDEN' });

    // The officer's role does not register persons: the role comes from the token, not from the request.
    const officerCreates = await register.request('POST', '/persons', {
      token: tokens['officer-ua46'],
      body: {
        rnokpp,
        lastName: 'Коваль',
        firstName: 'Ірина',
        birthDate: '1985-04-12',
        sex: 'female',
        katottg: LVIV,
        registeredAddress: 'м. Львів, вул. Зелена, 5',
      },
    });
    expect({ status: officerCreates.status, code: officerCreates.body?.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });

    // "Who looked at my data" names the Keycloak user (its sub) who read the record.
    const log = await register.request('GET', `/persons/${id}/access-log`, { token: tokens['supervisor-ua'] });
    expect(log.status).toBe(200);
    expect(JSON.stringify(log.body)).toContain(decode(tokens['officer-ua46']).claims.sub);
  });

  it('accepts the service account of eisss-services (client credentials) as system with the national territory', async () => {
    const token = await tokenOf({
      grant_type: 'client_credentials',
      client_id: 'eisss-services',
      client_secret: 'dev-only-eisss-services-secret',
    });
    expect(decode(token).claims).toMatchObject({ iss: ISSUER, roles: [Role.System], territory: 'UA' });
    const list = await register.request('GET', '/persons?limit=1', { token });
    expect(list.status).toBe(200);
  });

  it('refuses 401 a token of another issuer (the test key pair), a tampered Keycloak token, and no token', async () => {
    const foreign = signTestToken({ sub: 'intruder', roles: [Role.Officer], territory: 'UA' });
    const [h, , s] = tokens['officer-ua80'].split('.');
    const widened = Buffer.from(JSON.stringify({ ...decode(tokens['officer-ua80']).claims, territory: 'UA' })).toString('base64url');
    for (const token of [foreign, `${h}.${widened}.${s}`, undefined]) {
      const res = await register.request('GET', '/persons?limit=1', { token });
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });
});
