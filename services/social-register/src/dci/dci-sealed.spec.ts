import { FieldCipher } from '@eisss/platform';
import { randomBytes } from 'node:crypto';
import { openDocument, sealDocument } from './dci-sealed';

describe('sealed DCI documents', () => {
  const cipher = new FieldCipher({ dataKeys: new Map([['k1', randomBytes(32)]]), activeKeyId: 'k1', hmacKey: randomBytes(32) });
  const doc = { message: { search_request: [{ query: { type: 'RNOKPP', value: '1234567890' } }], email: 'a@b.ua' } };

  it('stores a document as one ciphertext without its plain values, and opens it again', () => {
    const stored = sealDocument(cipher, doc, 'dci_transaction.request')!;
    expect(stored).not.toContain('1234567890');
    expect(stored).not.toContain('a@b.ua');
    expect(openDocument(cipher, JSON.parse(stored), 'dci_transaction.request')).toEqual(doc);
  });

  it('binds the ciphertext to its column, keeps null, and reads plain legacy documents as they are', () => {
    const stored = JSON.parse(sealDocument(cipher, doc, 'dci_callback.body')!);
    expect(() => openDocument(cipher, stored, 'dci_transaction.response')).toThrow(/authentication/);
    expect(sealDocument(cipher, null, 'dci_callback.body')).toBeNull();
    expect(openDocument(cipher, null, 'dci_callback.body')).toBeNull();
    expect(openDocument(cipher, doc, 'dci_transaction.request')).toBe(doc);
  });
});
