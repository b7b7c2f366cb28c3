import { generateKeyPairSync } from 'node:crypto';
import { isNonPublicAddress } from './dci-address';
import { canonicalJson, parsePublicKey, parseSignature, signEnvelope, verifyEnvelope } from './dci-signature';

describe('DCI signatures', () => {
  const env = {
    header: { message_id: 'm-1', sender_id: 'spmis', action: 'search', total_count: 1 },
    message: { transaction_id: 't', search_request: [{ reference_id: 'r', n: 1.5 }] },
  };

  it.each([
    ['ed25519', () => generateKeyPairSync('ed25519')],
    ['es256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['rs256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ] as const)('signs and verifies %s over the canonical {header}+{message}', (alg, gen) => {
    const { privateKey, publicKey } = gen();
    const sig = signEnvelope(env, { id: 'spmis', keyId: 'k1', privateKey }, new Date());
    expect(parseSignature(sig)).toMatchObject({ senderId: 'spmis', keyId: 'k1', algorithm: alg, headers: '(created) (expires) digest' });
    const jwk = parsePublicKey(publicKey.export({ format: 'jwk' }) as Record<string, unknown>);
    // key order does not matter; any change of a value does
    const reordered = { message: env.message, header: { total_count: 1, action: 'search', sender_id: 'spmis', message_id: 'm-1' } };
    expect(verifyEnvelope(reordered, sig, { senderId: 'spmis', keyId: 'k1', publicKey: jwk }, new Date())).toBeNull();
    expect(
      verifyEnvelope(
        { ...env, message: { ...env.message, transaction_id: 'u' } },
        sig,
        { senderId: 'spmis', keyId: 'k1', publicKey: jwk },
        new Date(),
      ),
    ).toMatch(/does not match/);
    expect(verifyEnvelope(env, sig, { senderId: 'spmis', keyId: 'k2', publicKey: jwk }, new Date())).toMatch(/key/);
    expect(verifyEnvelope(env, sig, { senderId: 'other', keyId: 'k1', publicKey: jwk }, new Date())).toMatch(/another sender/);
  });

  it('refuses an expired, a future or a malformed signature and a key of another algorithm', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const old = signEnvelope(env, { id: 'spmis', keyId: 'k', privateKey }, new Date(Date.now() - 3600_000));
    expect(verifyEnvelope(env, old, { senderId: 'spmis', keyId: 'k', publicKey }, new Date())).toMatch(/expired/);
    const future = signEnvelope(env, { id: 'spmis', keyId: 'k', privateKey }, new Date(Date.now() + 3600_000));
    expect(verifyEnvelope(env, future, { senderId: 'spmis', keyId: 'k', publicKey }, new Date())).toMatch(/future/);
    expect(verifyEnvelope(env, 'garbage', { senderId: 'spmis', keyId: 'k', publicKey }, new Date())).toMatch(/layout/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(
      verifyEnvelope(
        env,
        signEnvelope(env, { id: 'spmis', keyId: 'k', privateKey }, new Date()),
        {
          senderId: 'spmis',
          keyId: 'k',
          publicKey: ec.publicKey,
        },
        new Date(),
      ),
    ).toMatch(/es256/);
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 'x' }], a: null, u: undefined })).toBe('{"a":null,"b":[2,{"c":"x","d":1}]}');
  });
});

describe('callback destinations', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    'ff02::1',
    'not-an-ip',
  ])('%s is not public', (a) => expect(isNonPublicAddress(a)).toBe(true));
  it.each(['8.8.8.8', '193.0.14.129', '2001:4860:4860::8888', '2a00:1450:4001::1'])('%s is public', (a) =>
    expect(isNonPublicAddress(a)).toBe(false),
  );
});
