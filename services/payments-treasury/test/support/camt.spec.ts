import { join } from 'node:path';
import { SHARED_DIR } from '@eisss/testing';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { parseCamt } from '../../src/bank/camt.parser';
import { camt053, camt054 } from './camt';

const XSD = join(SHARED_DIR, 'standards', 'iso20022', 'camt.053.001.08.xsd');

describe('camt053', () => {
  const entries = [
    { endToEndId: 'a'.repeat(32), amountKopiyky: '200000', kind: 'settled' as const, bookingDate: '2026-12-04' },
    { endToEndId: 'b'.repeat(32), amountKopiyky: '150001', kind: 'returned' as const, returnReason: 'AC04', bookingDate: '2026-12-05' },
  ];

  it('builds a statement that validates against the camt.053.001.08 XSD when the schema is stored', async () => {
    const xml = camt053({ messageId: 'M1', statementId: 'S1', iban: 'UA938999980000035221139001014', date: '2026-12-05', entries });
    const r = await validateXML({
      xml: [{ fileName: 'statement.xml', contents: xml }],
      schema: [{ fileName: 'camt.053.001.08.xsd', contents: readFileSync(XSD, 'utf8') }],
    });
    expect(r.errors.map((e) => e.message)).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('parses statements and notifications into exact kopiyky with the return reason when parsed back', () => {
    for (const xml of [
      camt053({ messageId: 'M1', statementId: 'S1', iban: 'UA938999980000035221139001014', date: '2026-12-05', entries }),
      camt054({ messageId: 'M2', notificationId: 'N1', iban: 'UA938999980000035221139001014', date: '2026-12-05', entries }),
    ]) {
      const p = parseCamt(xml);
      expect(p.transactions.map((t) => [t.endToEndId, t.amountKopiyky, t.direction, t.returnReasonCode, t.bookingDate])).toEqual([
        ['a'.repeat(32), 200000n, 'DBIT', null, '2026-12-04'],
        ['b'.repeat(32), 150001n, 'CRDT', 'AC04', '2026-12-05'],
      ]);
    }
  });
});
