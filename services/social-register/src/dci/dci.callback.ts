import { Clock, PLATFORM_CONFIG } from '@eisss/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { SocialRegisterConfig } from '../config/config';
import { postJson, type PostResult } from './dci-address';
import { RECEIVER_ID } from './dci-records';
import { algorithmOf, signEnvelope, thumbprintOf, type DciSignatureAlgorithm } from './dci-signature';

/** The same DCI base URL however it is written (trailing slashes, case of scheme and host, default port). */
export function normaliseBaseUri(uri: string): string | null {
  try {
    const u = new URL(uri);
    if (u.username || u.password || u.search || u.hash) return null;
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

/** Development/test only: never accepted in production (the service refuses to start). */
const DEV_SIGNING_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIClZMHDr5L9qEsNCO3GjoetevwqzRpN7PBTGy/4sUQeF
-----END PRIVATE KEY-----`;

/** The register's own DCI signing key (DCI_SIGNING_PRIVATE_KEY / DCI_SIGNING_KEY_ID). */
@Injectable()
export class DciRegisterKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly algorithm: DciSignatureAlgorithm;

  constructor(@Inject(PLATFORM_CONFIG) config: SocialRegisterConfig) {
    const production = config.NODE_ENV === 'production';
    const pem = config.DCI_SIGNING_PRIVATE_KEY?.replace(/\\n/g, '\n');
    if (production && (!pem || pem.replace(/\s/g, '') === DEV_SIGNING_KEY.replace(/\s/g, '')))
      throw new Error('DCI_SIGNING_PRIVATE_KEY is required in production (and must not be the development key)');
    this.privateKey = createPrivateKey(pem ?? DEV_SIGNING_KEY);
    const alg = algorithmOf(this.privateKey);
    if (!alg) throw new Error('DCI_SIGNING_PRIVATE_KEY must be an Ed25519, P-256 or RSA (≥ 2048 bit) key');
    this.algorithm = alg;
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = config.DCI_SIGNING_KEY_ID;
  }

  /** The public key as published to clients (JWK with kid, alg and thumbprint). */
  publicJwk(): Record<string, unknown> {
    return {
      ...(this.publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: this.keyId,
      use: 'sig',
      alg: { ed25519: 'EdDSA', es256: 'ES256', rs256: 'RS256' }[this.algorithm],
    };
  }

  thumbprint(): string {
    return thumbprintOf(this.publicKey);
  }

  /** Signs an envelope as of `now` (the caller's clock). */
  sign<T extends { header: unknown; message?: unknown }>(envelope: T, now: Date): T & { signature: string } {
    return { signature: signEnvelope(envelope, { id: RECEIVER_ID, keyId: this.keyId, privateKey: this.privateKey }, now), ...envelope };
  }
}

/**
 * The register's credentials on its callbacks: a bearer token from the OAuth2 token endpoint with the
 * client-credentials grant (DCI_CALLBACK_TOKEN_URL, _CLIENT_ID, _CLIENT_SECRET), asked for the one
 * client it goes to (RFC 8707 `resource` = the callback's origin), so a client cannot replay the token
 * it received against another client; cached per client until shortly before it expires. Else the
 * static DCI_CALLBACK_AUTHORIZATION header, else none. Clients rely on the signature in any case.
 */
@Injectable()
export class DciCallbackCredentials {
  private readonly logger = new Logger('DciCallbackCredentials');
  private readonly cached = new Map<string, { value: string; until: number }>();

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: SocialRegisterConfig) {}

  /** `resource`: the origin of the client's callback URI (the token's audience). */
  async authorization(resource: string): Promise<string | null> {
    const c = this.config;
    if (!c.DCI_CALLBACK_TOKEN_URL) return c.DCI_CALLBACK_AUTHORIZATION ?? null;
    const hit = this.cached.get(resource);
    if (hit && hit.until > Date.now()) return hit.value;
    const res = await fetch(c.DCI_CALLBACK_TOKEN_URL, {
      method: 'POST',
      redirect: 'error',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(c.DCI_CALLBACK_CLIENT_ID ?? '')}:${encodeURIComponent(c.DCI_CALLBACK_CLIENT_SECRET ?? '')}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource }).toString(),
      signal: AbortSignal.timeout(c.DCI_CALLBACK_TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => null)) as { access_token?: string; expires_in?: number; token_type?: string } | null;
    if (!res.ok || !body?.access_token) {
      this.logger.warn(`client-credentials token request answered ${res.status}`);
      throw new Error(`token endpoint answered ${res.status}`);
    }
    const value = `Bearer ${body.access_token}`;
    if (this.cached.size > 10_000) this.cached.clear();
    this.cached.set(resource, { value, until: Date.now() + Math.max(0, (body.expires_in ?? 60) - 30) * 1000 });
    return value;
  }
}

/** Posts a signed DCI envelope, with the register's credentials, to a client's callback endpoint. */
@Injectable()
export class DciCallbackClient {
  constructor(
    private readonly key: DciRegisterKey,
    private readonly credentials: DciCallbackCredentials,
    @Inject(PLATFORM_CONFIG) private readonly config: SocialRegisterConfig,
    private readonly clock: Clock,
  ) {}

  async post(url: string, envelope: { header: unknown; message?: unknown }, allowPrivate: boolean): Promise<PostResult> {
    let authorization: string | null;
    try {
      authorization = await this.credentials.authorization(new URL(url).origin);
    } catch (err) {
      return { ok: false, status: null, error: `no credentials: ${(err as Error).message}` };
    }
    const signed = this.key.sign(envelope, this.clock.now());
    return postJson(url, JSON.stringify(signed), authorization ? { authorization } : {}, {
      allowPrivate,
      timeoutMs: this.config.DCI_CALLBACK_TIMEOUT_MS,
    });
  }
}
