import { createHash, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * DCI message signatures.
 *
 * The DCI spec (standards/dci/social_api_v1.0.0.yaml, `MsgSignature` and "Signature:" in the info text)
 * defines the `signature` field of every envelope as the "Signature of {header}+{message} body verified
 * using sender's signing public key", in the form
 *   Signature: namespace="spdci", kidId="{sender_id}|{unique_key_id}|{algorithm}", algorithm="ed25519",
 *              created="1606970629", expires="1607030629", headers="(created) (expires) digest", signature="Base64(...)"
 * (the HTTP Signatures draft-cavage layout). This register reads it as follows:
 * - digest = "SHA-256=" + base64(SHA-256(canonical JSON of { header, message })); canonical JSON is the
 *   RFC 8785 (JCS) form: object keys sorted, no whitespace, ECMAScript number and string serialisation;
 * - the signed string is the three lines "(created): <created>\n(expires): <expires>\ndigest: <digest>";
 * - algorithm: ed25519 (Ed25519), es256 (ECDSA P-256 / SHA-256, r||s) or rs256 (RSASSA-PKCS1-v1_5 / SHA-256);
 *   it must be the algorithm of the sender's registered key;
 * - created must not lie in the future and expires not in the past (clock skew allowed), expires − created ≤ 1 hour.
 * The register signs its callbacks the same way with its own key (kidId "social-register|<key id>|<algorithm>").
 */

export type DciSignatureAlgorithm = 'ed25519' | 'es256' | 'rs256';
export const DCI_SIGNATURE_ALGORITHMS: readonly DciSignatureAlgorithm[] = ['ed25519', 'es256', 'rs256'];

const SKEW_S = 5 * 60;
const MAX_VALIDITY_S = 60 * 60;

/** RFC 8785 canonical JSON (keys sorted by UTF-16 code units; arrays kept in order). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function digestOf(header: unknown, message: unknown): string {
  return `SHA-256=${createHash('sha256').update(canonicalJson({ header, message }), 'utf8').digest('base64')}`;
}

function signingString(created: number, expires: number, digest: string): string {
  return `(created): ${created}\n(expires): ${expires}\ndigest: ${digest}`;
}

/** The algorithm a public or private key signs with; null for a key type DCI does not use. */
export function algorithmOf(key: KeyObject): DciSignatureAlgorithm | null {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'es256';
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'rs256';
  return null;
}

/** A public key given as PEM (SPKI) or as a JWK (JSON text or object); throws on anything else. */
export function parsePublicKey(input: string | Record<string, unknown>): KeyObject {
  if (typeof input === 'object') return createPublicKey({ key: input as JsonWebKey, format: 'jwk' });
  const text = input.trim();
  if (text.startsWith('{')) return createPublicKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' });
  if (!text.startsWith('-----BEGIN PUBLIC KEY-----')) throw new Error('not a PEM public key');
  return createPublicKey({ key: text, format: 'pem' });
}

/** RFC 7638 thumbprint of a public key (for audit records and key ids). */
export function thumbprintOf(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const members =
    jwk.kty === 'OKP'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
      : jwk.kty === 'EC'
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
        : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function rawSign(alg: DciSignatureAlgorithm, data: Buffer, key: KeyObject): Buffer {
  if (alg === 'ed25519') return sign(null, data, key);
  return sign('sha256', data, alg === 'es256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
}

function rawVerify(alg: DciSignatureAlgorithm, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    if (alg === 'ed25519') return verify(null, data, key, signature);
    return verify('sha256', data, alg === 'es256' ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
  } catch {
    return false;
  }
}

/** The `signature` value for an envelope: signed by `signerId`'s key `keyId`. */
export function signEnvelope(
  envelope: { header: unknown; message?: unknown },
  signer: { id: string; keyId: string; privateKey: KeyObject },
  now: Date,
  validitySeconds = 300,
): string {
  const alg = algorithmOf(signer.privateKey);
  if (!alg) throw new Error('the signing key is not Ed25519, P-256 or RSA ≥ 2048');
  const created = Math.floor(now.getTime() / 1000);
  const expires = created + validitySeconds;
  const digest = digestOf(envelope.header, envelope.message);
  const signature = rawSign(alg, Buffer.from(signingString(created, expires, digest), 'utf8'), signer.privateKey).toString('base64');
  return `Signature namespace="spdci", kidId="${signer.id}|${signer.keyId}|${alg}", algorithm="${alg}", created="${created}", expires="${expires}", headers="(created) (expires) digest", signature="${signature}"`;
}

export interface ParsedSignature {
  senderId: string;
  keyId: string;
  algorithm: string;
  created: number;
  expires: number;
  headers: string;
  signature: Buffer;
}

/** Parses a `signature` value; null when it does not have the spec's layout. */
export function parseSignature(value: string): ParsedSignature | null {
  const text = value.trim().replace(/^Signature:?\s*/i, '');
  const params = new Map<string, string>();
  const re = /\s*([A-Za-z]+)="([^"]*)"\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text)) !== null) {
    if (params.has(m[1]!)) return null;
    params.set(m[1]!, m[2]!);
    end = re.lastIndex;
    if (end >= text.length) break;
  }
  if (end < text.length) return null;
  const kid = (params.get('kidId') ?? params.get('keyId'))?.split('|');
  const created = Number(params.get('created'));
  const expires = Number(params.get('expires'));
  const sig = params.get('signature');
  if (
    !kid ||
    kid.length !== 3 ||
    !Number.isSafeInteger(created) ||
    !Number.isSafeInteger(expires) ||
    !sig ||
    !/^[A-Za-z0-9+/]+={0,2}$/.test(sig)
  )
    return null;
  return {
    senderId: kid[0]!,
    keyId: kid[1]!,
    algorithm: (params.get('algorithm') ?? kid[2]!).toLowerCase(),
    created,
    expires,
    headers: params.get('headers') ?? '',
    signature: Buffer.from(sig, 'base64'),
  };
}

/** Why a signature does not hold, or null when it does. */
export function verifyEnvelope(
  envelope: { header: unknown; message?: unknown },
  value: string,
  expected: { senderId: string; keyId: string; publicKey: KeyObject },
  now: Date,
): string | null {
  const s = parseSignature(value);
  if (!s) return 'the signature does not follow the DCI layout (kidId, algorithm, created, expires, headers, signature)';
  if (s.senderId !== expected.senderId) return 'the signature names another sender';
  if (s.keyId !== expected.keyId) return `the signature names key ${s.keyId}, not the registered key`;
  const alg = algorithmOf(expected.publicKey);
  if (s.algorithm !== alg) return `the registered key signs with ${alg}, not ${s.algorithm}`;
  if (s.headers.replace(/\s+/g, ' ').trim() !== '(created) (expires) digest') return 'headers must be "(created) (expires) digest"';
  const t = Math.floor(now.getTime() / 1000);
  if (s.created > t + SKEW_S) return 'the signature is created in the future';
  if (s.expires < t - SKEW_S) return 'the signature has expired';
  if (s.expires < s.created || s.expires - s.created > MAX_VALIDITY_S) return 'the signature is valid for more than an hour';
  const data = Buffer.from(signingString(s.created, s.expires, digestOf(envelope.header, envelope.message)), 'utf8');
  return rawVerify(alg, data, expected.publicKey, s.signature) ? null : 'the signature does not match the header and message';
}
