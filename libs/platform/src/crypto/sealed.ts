import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, importJWK, type JWK, type KeyLike } from 'jose';
import { PiiCryptoError, PiiCryptoErrorCode } from './field-cipher';

/**
 * A value sealed for one recipient service ("the IBAN the treasury needs travels encrypted for it"):
 * a compact JWE (ECDH-ES+A256KW, A256GCM) to the recipient's P-256 public key, with its `kid` and the
 * field it carries (`ctx`, in the authenticated protected header: a sealed IBAN cannot be passed off as
 * another field). Only the holder of the private key reads it; producers and the services the value
 * passes through hold only the public key. Keys rotate by kid: the recipient keeps its old private keys
 * until nothing sealed to them is in flight.
 */
const ALG = 'ECDH-ES+A256KW';
const ENC = 'A256GCM';

export interface SealingRecipient {
  kid: string;
  /** The recipient's public key (JWK, EC P-256, no private part). */
  publicJwk: JWK;
}

function assertEcPublic(jwk: JWK, what: string): void {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y)
    throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, `${what} must be an EC P-256 JWK`);
}

/** Seals `plaintext` (the value of field `ctx`) for the recipient. */
export async function sealFor(recipient: SealingRecipient, ctx: string, plaintext: string): Promise<string> {
  assertEcPublic(recipient.publicJwk, 'the recipient key');
  if (recipient.publicJwk.d !== undefined)
    throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, 'the recipient key must be a public key (it holds a private part)');
  const key = await importJWK({ ...recipient.publicJwk, alg: ALG }, ALG);
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: ALG, enc: ENC, kid: recipient.kid, ctx })
    .encrypt(key);
}

/** The recipient's private keys by kid (EC P-256 JWKs with `d`). */
export class SealedValueOpener {
  private readonly keys = new Map<string, Promise<KeyLike | Uint8Array>>();

  constructor(privateJwks: { kid: string; jwk: JWK }[]) {
    if (privateJwks.length === 0) throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, 'no unsealing key configured');
    for (const { kid, jwk } of privateJwks) {
      assertEcPublic(jwk, `unsealing key ${kid}`);
      if (!jwk.d) throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, `unsealing key ${kid} has no private part`, kid);
      this.keys.set(kid, importJWK({ ...jwk, alg: ALG }, ALG));
    }
  }

  /** Opens a value sealed for field `ctx`; refuses another field's value, an unknown kid, other algorithms and any tampering. */
  async open(ctx: string, sealed: string): Promise<string> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(sealed);
    } catch {
      throw new PiiCryptoError(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED, 'not a sealed value');
    }
    if (header.ctx !== ctx)
      throw new PiiCryptoError(PiiCryptoErrorCode.AUTHENTICATION_FAILED, `sealed for ${JSON.stringify(header.ctx)}, not ${ctx}`);
    const key = typeof header.kid === 'string' ? this.keys.get(header.kid) : undefined;
    if (!key)
      throw new PiiCryptoError(
        PiiCryptoErrorCode.KEY_UNKNOWN,
        `no unsealing key ${String(header.kid)}`,
        typeof header.kid === 'string' ? header.kid : undefined,
      );
    try {
      const { plaintext } = await compactDecrypt(sealed, await key, { keyManagementAlgorithms: [ALG], contentEncryptionAlgorithms: [ENC] });
      return new TextDecoder().decode(plaintext);
    } catch {
      throw new PiiCryptoError(
        PiiCryptoErrorCode.AUTHENTICATION_FAILED,
        'the sealed value does not open (tampered, or sealed to another key)',
        header.kid as string,
      );
    }
  }
}
