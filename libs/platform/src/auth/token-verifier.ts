import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  exportJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import type { BaseConfig } from '../config/config';
import { DomainError, PlatformErrorCode } from '../errors/domain-error';
import { TOKEN_ALGORITHMS, isKnownDevelopmentKey, parseJwks, type PublicJwk } from './auth-config';
import { principalFromClaims } from './claims';
import type { Principal } from './principal';

export const AuthErrorCode = {
  /** The identity provider's keys could not be fetched (and none are cached): 503, try again. */
  AUTH_PROVIDER_UNAVAILABLE: 'AUTH_PROVIDER_UNAVAILABLE',
} as const;

export interface TokenVerifierOptions {
  /** The `iss` a token must carry. */
  issuer: string;
  /** An `aud` a token must carry (the service). */
  audience: string;
  /** The provider's JWKS URL, or the key set itself. */
  jwks: URL | JSONWebKeySet;
  /** Refuse the development keys committed to the repository (production). */
  refuseDevelopmentKeys: boolean;
  /** An unknown kid re-fetches the JWKS at most once per this period (default 30 s). */
  cooldownMs?: number;
  /** Fetched keys are fresh for this long (default 10 min); stale keys are still used while the provider cannot be reached. */
  cacheMaxAgeMs?: number;
  /** A JWKS fetch gives up after this long (default 5 s). */
  timeoutMs?: number;
  /** Clock skew allowed on exp/nbf/iat (default 30 s). */
  clockToleranceSec?: number;
  /** Verified tokens remembered (see TokenVerifier.verify); 0 verifies every time. Default 5000. */
  verifiedCacheSize?: number;
}

/** A token already verified: its principal, until its `exp`, while its key is still the provider's. */
interface VerifiedToken {
  principal: Principal;
  expiresAtMs: number;
  kid: string | undefined;
}

const PROVIDER_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/** A failure to get the keys (network, timeout, bad JWKS answer), not a fault of the token. */
function isProviderFailure(err: unknown): boolean {
  if (err instanceof DomainError) return false;
  return !(err instanceof errors.JOSEError) || PROVIDER_FAILURES.has(err.code);
}

/**
 * Verifies access tokens of the OpenID Connect provider: an RS256 or ES256 signature by a key of the
 * provider's JWKS (fetched and cached; a token with an unknown kid re-fetches it, so rotated keys are
 * picked up), `iss` the configured issuer, `aud` containing the service, `exp` and `sub` present.
 * Then the claims: `roles` (an array of known roles; the realm maps them to this top-level claim —
 * `realm_access` is not read), `territory` and, for citizens, `personId`.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly checked = new WeakMap<object, boolean>();
  private readonly verified = new Map<string, VerifiedToken>();
  /** The kids of the provider's keys as last fetched (remote JWKS), or undefined for a fixed key set. */
  private currentKids?: () => ReadonlySet<string>;

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = options.jwks instanceof URL ? this.remoteKeys(options.jwks) : createLocalJWKSet(options.jwks);
  }

  static fromConfig(config: BaseConfig): TokenVerifier {
    const production = config.NODE_ENV === 'production';
    const jwks = config.AUTH_JWKS !== undefined ? (parseJwks(config.AUTH_JWKS) as JSONWebKeySet) : new URL(config.AUTH_JWKS_URL!);
    return new TokenVerifier({ issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, jwks, refuseDevelopmentKeys: production });
  }

  private remoteKeys(url: URL): JWTVerifyGetKey {
    const remote = createRemoteJWKSet(url, {
      cooldownDuration: this.options.cooldownMs ?? 30_000,
      cacheMaxAge: this.options.cacheMaxAgeMs ?? 600_000,
      timeoutDuration: this.options.timeoutMs ?? 5_000,
    });
    let lastSet: unknown;
    let lastKids: ReadonlySet<string> = new Set();
    this.currentKids = () => {
      const set = remote.jwks();
      if (set !== lastSet) [lastSet, lastKids] = [set, new Set((set?.keys ?? []).flatMap((k) => (k.kid ? [k.kid] : [])))];
      return lastKids;
    };
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (err) {
        // The provider is down but its keys were fetched before: keep verifying with them.
        const last = remote.jwks();
        if (isProviderFailure(err) && last) return createLocalJWKSet(last)(header, token);
        throw err;
      }
    };
  }

  private async refuseKnownKeys(key: KeyLike | Uint8Array | JWK): Promise<void> {
    if (!this.options.refuseDevelopmentKeys || key instanceof Uint8Array) return;
    let known = this.checked.get(key);
    if (known === undefined) {
      known = isKnownDevelopmentKey(('kty' in key ? key : await exportJWK(key)) as PublicJwk);
      this.checked.set(key, known);
    }
    if (known) throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'invalid token: signed with a development key', 'unauthorized');
  }

  /**
   * The principal of a valid token. A token verified before is answered from memory (no signature
   * check) until its `exp`, as long as its key is still in the provider's key set as last fetched
   * (a key the provider retired refuses its tokens again at once); each answer is a fresh copy.
   */
  async verify(token: string): Promise<Principal> {
    const seen = this.verified.get(token);
    if (seen) {
      if (Date.now() < seen.expiresAtMs && (!this.currentKids || (seen.kid !== undefined && this.currentKids().has(seen.kid))))
        return { ...seen.principal, roles: [...seen.principal.roles] };
      this.verified.delete(token);
    }
    const { principal, exp, kid } = await this.verifySignature(token);
    this.remember(token, { principal, expiresAtMs: exp * 1000, kid });
    return { ...principal, roles: [...principal.roles] };
  }

  private remember(token: string, v: VerifiedToken): void {
    const max = this.options.verifiedCacheSize ?? 5000;
    if (max <= 0 || !(v.expiresAtMs > Date.now())) return;
    if (this.currentKids && v.kid === undefined) return;
    while (this.verified.size >= max) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, v);
  }

  private async verifySignature(token: string): Promise<{ principal: Principal; exp: number; kid: string | undefined }> {
    let payload: Record<string, unknown>;
    let kid: string | undefined;
    try {
      ({
        payload,
        protectedHeader: { kid },
      } = await jwtVerify(
        token,
        async (header, t) => {
          const key = await this.keys(header, t);
          await this.refuseKnownKeys(key);
          return key;
        },
        {
          issuer: this.options.issuer,
          audience: this.options.audience,
          algorithms: [...TOKEN_ALGORITHMS],
          requiredClaims: ['exp', 'sub'],
          clockTolerance: this.options.clockToleranceSec ?? 30,
        },
      ));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (isProviderFailure(err)) {
        throw new DomainError(
          AuthErrorCode.AUTH_PROVIDER_UNAVAILABLE,
          'the identity provider’s keys cannot be fetched; try again',
          'unavailable',
        );
      }
      throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, `invalid token: ${(err as Error).message}`, 'unauthorized');
    }
    return { principal: principalFromClaims(payload), exp: payload.exp as number, kid };
  }
}
