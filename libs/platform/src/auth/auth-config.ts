import { createHash } from 'node:crypto';

/**
 * Where tokens come from: the OpenID Connect provider's issuer and its keys (JWKS).
 * Outside production the defaults point at the local Keycloak of `scripts/infra/keycloak.sh`
 * (realm `eisss`); production names both or refuses to start.
 */
export const LOCAL_KEYCLOAK_ISSUER = 'http://127.0.0.1:8180/realms/eisss';

/** Keycloak publishes a realm's keys under the issuer. */
export function keycloakJwksUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/protocol/openid-connect/certs`;
}

/** Algorithms a token may be signed with. HS256 (a shared secret) is never accepted. */
export const TOKEN_ALGORITHMS = ['RS256', 'ES256'] as const;

/**
 * RFC 7638 thumbprints of the public keys committed to this repository (the test key pair of
 * libs/testing/src/test-keys.ts, whose private halves are public): production refuses them.
 */
export const KNOWN_DEVELOPMENT_KEY_THUMBPRINTS: readonly string[] = [
  'M95tf7bIibfif5YxIPiu1mBlQgVYXDzOLehBJ_7rq4o', // eisss-test-rs256
  '0eVu78PM3CH46ua73VnQ8ipZBi32AvWuvN50v4PnmlY', // eisss-test-es256
];

export interface PublicJwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
  [member: string]: unknown;
}

/** The RFC 7638 SHA-256 thumbprint of an RSA or EC public key. */
export function jwkThumbprint(jwk: PublicJwk): string {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

export function isKnownDevelopmentKey(jwk: PublicJwk): boolean {
  return (jwk.kty === 'RSA' || jwk.kty === 'EC') && KNOWN_DEVELOPMENT_KEY_THUMBPRINTS.includes(jwkThumbprint(jwk));
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Parses an inline JWKS: RSA or P-256 public keys only (no secret, no private half). Throws with the reason. */
export function parseJwks(text: string): { keys: PublicJwk[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('must be a JWKS: {"keys": [...]} with at least one key');
  for (const [i, key] of keys.entries()) {
    const k = key as PublicJwk;
    if (typeof k !== 'object' || k === null) throw new Error(`key ${i} is not an object`);
    if (
      !(k.kty === 'RSA' && typeof k.n === 'string' && typeof k.e === 'string') &&
      !(k.kty === 'EC' && k.crv === 'P-256' && typeof k.x === 'string' && typeof k.y === 'string')
    ) {
      throw new Error(`key ${i} must be an RSA or EC P-256 public key`);
    }
    const secret = PRIVATE_MEMBERS.filter((m) => m in k);
    if (secret.length > 0) throw new Error(`key ${i} holds private members (${secret.join(', ')}): publish public keys only`);
  }
  return { keys: keys as PublicJwk[] };
}

/** Fills the auth defaults of `loadConfig`: the audience is the service; outside production, the local Keycloak. */
export function applyAuthDefaults(raw: Record<string, unknown>, service: string, production: boolean): void {
  raw.AUTH_AUDIENCE ??= service;
  if (production) return;
  raw.AUTH_ISSUER ??= LOCAL_KEYCLOAK_ISSUER;
  if (raw.AUTH_JWKS === undefined && raw.AUTH_JWKS_URL === undefined && typeof raw.AUTH_ISSUER === 'string')
    raw.AUTH_JWKS_URL = keycloakJwksUrl(raw.AUTH_ISSUER);
}

/** What is wrong with the auth settings (checked by `loadConfig` beside the schema). */
export function authConfigProblems(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, production: boolean): string[] {
  const problems: string[] = [];
  const hasUrl = raw.AUTH_JWKS_URL !== undefined;
  const hasInline = raw.AUTH_JWKS !== undefined;
  if (!hasUrl && !hasInline) problems.push("AUTH_JWKS_URL: the provider's JWKS URL is required (or AUTH_JWKS, an inline JWKS)");
  if (hasUrl && hasInline) problems.push('AUTH_JWKS: give AUTH_JWKS_URL or AUTH_JWKS, not both');
  if (typeof raw.AUTH_JWKS === 'string') {
    try {
      const { keys } = parseJwks(raw.AUTH_JWKS);
      if (production && keys.some(isKnownDevelopmentKey))
        problems.push('AUTH_JWKS: holds a development key committed to the repository; production needs the provider’s own keys');
    } catch (err) {
      problems.push(`AUTH_JWKS: ${(err as Error).message}`);
    }
  }
  // The keys decide whose tokens are accepted: in production they are fetched over TLS, unless the
  // operator says the provider is reached inside the cluster network (AUTH_JWKS_HTTP_ALLOWED=true).
  if (
    production &&
    typeof raw.AUTH_JWKS_URL === 'string' &&
    !raw.AUTH_JWKS_URL.startsWith('https://') &&
    String(raw.AUTH_JWKS_HTTP_ALLOWED) !== 'true'
  ) {
    problems.push(
      'AUTH_JWKS_URL: must be https:// in production (set AUTH_JWKS_HTTP_ALLOWED=true only for a provider inside the cluster network)',
    );
  }
  if (production && env.AUTH_JWT_SECRET !== undefined) {
    problems.push('AUTH_JWT_SECRET: shared-secret (HS256) tokens are not accepted; remove it and set AUTH_ISSUER and AUTH_JWKS_URL');
  }
  return problems;
}
