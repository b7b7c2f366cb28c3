import { ServiceNames } from '@eisss/contracts';
import { createPrivateKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * The test identity provider: a fixed RS256 and ES256 key pair (generated once, committed as a test
 * fixture — the private halves are public, so production refuses these keys: see
 * KNOWN_DEVELOPMENT_KEY_THUMBPRINTS in libs/platform/src/auth/auth-config.ts), served to services as an
 * inline JWKS (`AUTH_JWKS`) with the issuer below. Tokens are signed synchronously with node:crypto.
 */
export const TEST_ISSUER = 'https://idp.test.eisss.invalid/realms/eisss-test';

type TestAlg = 'RS256' | 'ES256';

const PRIVATE_KEYS: Record<TestAlg, JsonWebKey & { kid: string; alg: TestAlg }> = {
  RS256: {
    kty: 'RSA',
    n: 'tfB1LzzV9VMWN0HaaQHWD407j_9uENIssb4jmD3C9ADnHDwDNgK5cbriQtoZIfpErQfN8nTbEdfhoi9dhvxt5xtIxdJEF4GVmRednpYYUSmc9isYk1gW6u4CqH6R1iwtNemZfac8mwKC1GzP4yfgrDCWCzVHBv4Z2BQcC6a_Y-mtwCerGlEaDGBzsoNFFMSQDHgtCkVkCXdGigXtOJuOVxkXQmj98BKO0ic6z8S1il6jlx2yrkwUK21vj1BxWFFwfVGX-2JWwoHEXYD6mJ7QmDvPmHYTlMyHzHxOxz2xmMRLPk343TJuPERHwyf9Q41FHw-wYwGmOAYA7vUqIFyH3w',
    e: 'AQAB',
    d: 'P8Quticq0ChWRXiprZsMpPe5k_8Q2wlmy8cZ355p6S410hIAiBoNV9yJt6eMHnoCPujY2Cz3qPnSZY8XRxvLAzBvYZIP9nMe9QCvaCkwDaY5kpfJLb82jRFtUhPGVlu2XspoVv9ZwPRw2TXn6LQNzRvcQsJiCgPeF_r4V2cSdlgVXw1KLUwn1HnRKo5jdACk1VfV24_SieLvgkqmuVVn91ipmEMk2EqBjZzL1KXMZvk70eWBHqRmsYArAAetlNzPagf6q9L3Ud0Z9b5KWip6w8HQKcMX7LqwQUgzpW9rkZuIyXayMzfbNAnhKL9CUz9W5YYx7AYE-aJ0S3JmMSVz1Q',
    p: '5C2RpV1UhG-eEnhrwSS-qO7qtKSe9uyLGrUrITrs9cHofgityHbaYVn7Vlql_og20rYibHh9N3JrruaULvEK9muYvGZ6PLQIVk47XvqoHpf934oI7EGZQ-FISjRWdT6rdJBuIWa3FY4VCa-010RnMUARghAq0VZeAq1bPgDFjs0',
    q: 'zB-TpskdUQXyOYBPyZdAFpVC8KTY1ym2Q1Ky9rMXWiT75LrHcIbzttxYqGWFVAwKMbqzHrW8-GttMrBt3kepwVyB9x48h99KvS_UcaItrOkXq-h5XHHv_6B1UvTkKN092l-1JejMM0LzLy3R_k75eQ3uEMlNZPWigrIpAjZz2Vs',
    dp: 'Q44GP-o42pjdOOS0KlPBquxJSsAuXDa-HGMk6Mq0WzJUrfPN17rwfsAQPInL-WbErG_GE0087UyP-xFDL_6nWzuR1b2VVSGMEllJFJ6rZZtkS2lnqOLnCITLTUTfkAjE5FbadEMf017kdaCyrsUOtDMeu94jfyTN4ocGq324_8U',
    dq: 'LD_gIzTP3SOb2ek94qaeJwceZsplk2cgcsG3uBEky87eqDvxRiyLIqXrtj2jxI-Dmjot4EdnerbXCjkC6D_Cxf8G0YpFdvLp4c8_j46nticlkYeo32h3rYOcS2p5F362jONYgqpPsgEedKjLMATwwdRKOmtZErzJCOoUR72EKac',
    qi: 'NNbE4xBeFdZz2pWGyP7Z8ltEgIQjzLpw1eSf2g_so_lfgQiGL5kMrY_rqVLBoOzz6AVGmo_LalGdJjBRHFsu27nc8EqT_oimNGlkLe0rvAYs7H1s-h7w2vxTTPTtRwBK8z4QB7ItVvprh7a2dWmXCB5uVNlruMBqBukSRNoSZZM',
    kid: 'eisss-test-rs256',
    alg: 'RS256',
    use: 'sig',
  },
  ES256: {
    kty: 'EC',
    x: 'sFciBuRX3LkQ7Mu3z4tpVjM8_F4xYAyfOXlojNXUczQ',
    y: 'hfWmEv4kA8et1QKw3kkSU1zpgJqk1rhSd1l45f9FNhE',
    crv: 'P-256',
    d: '9dzRe8KWRflLWDPRtnb8tKQIxOE9QghtuscS8OIQCw4',
    kid: 'eisss-test-es256',
    alg: 'ES256',
    use: 'sig',
  },
};

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi']);

export interface TestPublicJwk {
  kty: string;
  kid: string;
  alg: string;
  use: string;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/** The public halves, as the provider serves them at its JWKS URL. */
export const TEST_JWKS: { keys: TestPublicJwk[] } = {
  keys: Object.values(PRIVATE_KEYS).map(
    (k) => Object.fromEntries(Object.entries(k).filter(([m]) => !PRIVATE_MEMBERS.has(m))) as unknown as TestPublicJwk,
  ),
};

/** The auth settings that make a service accept the test tokens. */
export function testAuthEnv(): { AUTH_ISSUER: string; AUTH_JWKS: string } {
  return { AUTH_ISSUER: TEST_ISSUER, AUTH_JWKS: JSON.stringify(TEST_JWKS) };
}

const keyObjects = new Map<TestAlg, KeyObject>();
function privateKey(alg: TestAlg): KeyObject {
  let key = keyObjects.get(alg);
  if (!key) {
    key = createPrivateKey({ key: PRIVATE_KEYS[alg], format: 'jwk' });
    keyObjects.set(alg, key);
  }
  return key;
}

export interface TestTokenOptions {
  alg?: TestAlg;
  issuer?: string;
  /** Default: every service (as the realm's audience mappers do). */
  audience?: string | string[];
  /** Seconds from now; `null` leaves `exp` out. Default 3600. */
  expiresInSeconds?: number | null;
  kid?: string;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A JWT with these claims signed by the test provider (`iss`, `aud`, `iat`, `exp` added unless given). */
export function signTestToken(claims: Record<string, unknown>, options: TestTokenOptions = {}): string {
  const alg = options.alg ?? 'RS256';
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: options.issuer ?? TEST_ISSUER,
    aud: options.audience ?? [...ServiceNames],
    iat: now,
    ...claims,
  };
  if (options.expiresInSeconds !== null && payload.exp === undefined) payload.exp = now + (options.expiresInSeconds ?? 3600);
  const signingInput = `${b64({ alg, typ: 'JWT', kid: options.kid ?? PRIVATE_KEYS[alg].kid })}.${b64(payload)}`;
  const signature = sign(
    'sha256',
    Buffer.from(signingInput),
    alg === 'ES256' ? { key: privateKey(alg), dsaEncoding: 'ieee-p1363' } : privateKey(alg),
  );
  return `${signingInput}.${signature.toString('base64url')}`;
}
