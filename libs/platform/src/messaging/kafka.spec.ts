import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, readPem } from './kafka';

describe(createKafka.name, () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('refuses SASL credentials without TLS', () => {
    expect(() =>
      createKafka({ clientId: 't', brokers: ['127.0.0.1:1'], sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } }),
    ).toThrow(/need TLS/);
  });

  it('reads the CA inline or from a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-')), 'ca.pem');
    writeFileSync(file, pem);
    expect(readPem(pem)).toBe(pem);
    expect(readPem(file)).toBe(pem);
  });
});
