import { FieldCipher } from '@eisss/platform';
import { randomBytes } from 'node:crypto';
import { keyIdsIn, openPersonColumns, openPiiJson, reencryptPiiJson, sealPersonColumns, sealPiiJson } from './person-pii';

const IBAN = 'UA213223130000026007233566001';
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const hmacKey = randomBytes(32);
const c1 = new FieldCipher({ dataKeys: new Map([['k1', k1]]), activeKeyId: 'k1', hmacKey });
const c2 = new FieldCipher({
  dataKeys: new Map([
    ['k1', k1],
    ['k2', k2],
  ]),
  activeKeyId: 'k2',
  hmacKey,
});

describe('person personal data at rest', () => {
  it('seals the person columns with hashes for РНОКПП, УНЗР and IBAN, and opens them', () => {
    const cols = sealPersonColumns(c1, { rnokpp: '3012345678', unzr: null, phone: '+380501234567', email: 'a@b.ua', iban: ` ${IBAN} ` });
    expect(Object.keys(cols).sort()).toEqual([
      'email_enc',
      'iban_enc',
      'iban_hash',
      'phone_enc',
      'rnokpp_enc',
      'rnokpp_hash',
      'unzr_enc',
      'unzr_hash',
    ]);
    expect(cols.unzr_enc).toBeNull();
    expect(cols.unzr_hash).toBeNull();
    expect(cols.iban_hash).toBe(c1.hash(IBAN, 'iban'));
    expect(JSON.stringify(cols)).not.toContain('3012345678');
    expect(openPersonColumns(c1, cols)).toEqual({
      rnokpp: '3012345678',
      unzr: null,
      phone: '+380501234567',
      email: 'a@b.ua',
      iban: ` ${IBAN} `,
    });
    expect(sealPersonColumns(c1, { phone: null })).toEqual({ phone_enc: null });
  });

  it('seals personal data inside documents (change requests, history, snapshots) and nothing else', () => {
    const doc = {
      iban: IBAN,
      paymentPostcode: '01001',
      phone: { from: null, to: '+380501234567' },
      fields: ['iban', 'phone'],
      lastName: 'Шевченко',
    };
    const sealed = sealPiiJson(c1, doc) as Record<string, any>;
    expect(JSON.stringify(sealed)).not.toContain(IBAN);
    expect(sealed).toMatchObject({
      paymentPostcode: '01001',
      fields: ['iban', 'phone'],
      lastName: 'Шевченко',
      phone: { from: null, to: expect.stringMatching(/^v1:k1:/) },
    });
    expect(sealPiiJson(c1, sealed)).toEqual(sealed); // idempotent
    expect(openPiiJson(c1, sealed)).toEqual(doc);
    const rotated = reencryptPiiJson(c2, sealed);
    expect([...keyIdsIn(rotated)]).toEqual(['k2']);
    expect(openPiiJson(c2, rotated)).toEqual(doc);
    expect(() => openPiiJson(c1, { rnokpp: (sealPiiJson(c1, { iban: IBAN }) as { iban: string }).iban })).toThrow(/failed authentication/);
  });

  it('reads key ids only from personal data: sealed values, <field>_enc columns and PII keys, not free text', () => {
    const sealed = c2.encrypt('3012345678', 'rnokpp');
    const old = c1.encrypt(IBAN, 'iban');
    const row = { id: 'p1', rnokpp_enc: sealed, phone_enc: null, address: 'v1:zz:a:b:c', note: 'v1:yy:a:b:c' };
    expect([...keyIdsIn(row)]).toEqual(['k2']);
    const doc = { address: { street: 'v1:zz:a:b:c' }, iban: { from: old, to: sealed }, comment: ['v1:xx:a:b:c'] };
    expect([...keyIdsIn(doc)].sort()).toEqual(['k1', 'k2']);
    expect([...keyIdsIn(sealed)]).toEqual(['k2']); // a document sealed whole (DCI)
    expect([...keyIdsIn({ request: 'v1:zz:a:b:c' })]).toEqual([]);
    expect([...keyIdsIn(null)]).toEqual([]);
  });
});
