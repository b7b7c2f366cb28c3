import { SHARED_DIR } from '@eisss/testing';
import { XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { validateXML } from 'xmllint-wasm';
import { Pain001Error, creditorXml, streamPain001, type Pain001Payment } from './pain001.writer';

// XSD validation in xmllint-wasm takes seconds on a loaded 2-core machine: not a timing test, so a wide timeout.
jest.setTimeout(60_000);

const PAIN001_XSD = join(SHARED_DIR, 'standards', 'iso20022', 'pain.001.001.09.xsd');

async function validatePain001(xml: string): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: 'pain.xml', contents: xml }],
    schema: [{ fileName: 'pain.001.001.09.xsd', contents: readFileSync(PAIN001_XSD, 'utf8') }],
  });
  return r.errors.map((e) => e.message);
}

describe('streamPain001', () => {
  const header = {
    // As the treasury mints them: 'PT' + 32 hex digits = 34 characters (Max35Text); PmtInfId is the same.
    messageId: `PT${'0123456789abcdef'.repeat(2)}`,
    createdAt: new Date('2026-12-03T08:00:00Z'),
    executionDate: '2026-12-03',
    paymentCount: 3,
    controlSumKopiyky: 600001n,
    debtor: { name: 'Казначейство & Co <test>', iban: 'UA938999980000035221139001014', edrpou: '37567646' },
    creditorMfo: '322313',
  };
  const pay = (i: number, amount: string, creditor: Pain001Payment['creditor']): Pain001Payment => ({
    endToEndId: `e2e${i}`.padEnd(32, '0'),
    amountKopiyky: amount,
    iban: 'UA213223130000026007233566001',
    creditor,
    remittance: 'Соціальна виплата idp-living-allowance за 2026-11 — '.repeat(5),
  });
  const withTaxId = { name: 'Шевченко Олена Іванівна', rnokpp: '3296909324', documentNumber: null };
  const withPassport = { name: "О'Коннор Марія", rnokpp: null, documentNumber: 'МК123456' };

  async function* pages() {
    yield [pay(1, '200000', withTaxId), pay(2, '200000', withPassport)];
    yield [pay(3, '200001', withTaxId)];
  }

  async function write(h = header, p = pages()): Promise<{ xml: string; chunks: number }> {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await streamPain001(out, h, p);
    out.end();
    return { xml: Buffer.concat(chunks).toString('utf8'), chunks: chunks.length };
  }

  it('writes a file that validates against pain.001.001.09 with matching control sums when streamed in pages', async () => {
    const { xml, chunks } = await write();
    expect(chunks).toBeGreaterThan(2);
    expect(await validatePain001(xml)).toEqual([]);
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => n === 'CdtTrfTxInf' }).parse(xml).Document
      .CstmrCdtTrfInitn;
    expect(doc.GrpHdr.NbOfTxs).toBe('3');
    expect(doc.GrpHdr.CtrlSum).toBe('6000.01');
    expect(doc.GrpHdr.InitgPty.Nm).toBe('Казначейство & Co <test>');
    expect(doc.PmtInf.PmtInfId.length).toBeLessThanOrEqual(35);
    expect(doc.PmtInf.CdtTrfTxInf.map((t: { Amt: { InstdAmt: { '#text': string; '@_Ccy': string } } }) => t.Amt.InstdAmt['#text'])).toEqual(
      ['2000.00', '2000.00', '2000.01'],
    );
    expect(doc.PmtInf.DbtrAcct.Ccy).toBe('UAH');
  });

  it('names the creditor with the РНОКПП as TXID, or the document number as NIDN when the person has no РНОКПП', async () => {
    const { xml } = await write();
    const txs = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => n === 'CdtTrfTxInf' }).parse(xml).Document
      .CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
    expect(txs[0].Cdtr).toEqual({ Nm: 'Шевченко Олена Іванівна', Id: { PrvtId: { Othr: { Id: '3296909324', SchmeNm: { Cd: 'TXID' } } } } });
    expect(txs[1].Cdtr).toEqual({ Nm: "О'Коннор Марія", Id: { PrvtId: { Othr: { Id: 'МК123456', SchmeNm: { Cd: 'NIDN' } } } } });
    for (const t of txs) expect(t.RmtInf.Ustrd.length).toBeLessThanOrEqual(140);
  });

  it('refuses identifiers beyond Max35Text and a creditor without name or identifier when asked to write them', async () => {
    await expect(write({ ...header, messageId: 'X'.repeat(36) })).rejects.toThrow(Pain001Error);
    expect(() => creditorXml({ name: ' ', rnokpp: '3296909324', documentNumber: null }, 'p1')).toThrow(/name/);
    expect(() => creditorXml({ name: 'Ім’я', rnokpp: null, documentNumber: null }, 'p1')).toThrow(/РНОКПП/);
    expect(() => creditorXml({ name: 'x'.repeat(141), rnokpp: '3296909324', documentNumber: null }, 'p1')).toThrow(/140/);
  });

  it('refuses a creditor IBAN that is not a Ukrainian IBAN or not at the bank of the file, without writing the value into the error', async () => {
    for (const iban of ['UA21322313000002600723356600', 'UA213052990000026007233566001']) {
      async function* one() {
        yield [{ ...pay(1, '600001', withTaxId), iban }];
      }
      const out = new PassThrough();
      out.resume();
      const err = await streamPain001(out, { ...header, paymentCount: 1 }, one()).then(
        () => null,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(Pain001Error);
      expect(err!.message).not.toContain(iban);
    }
  });

  it('fails when the payments do not add up to the header control sum', async () => {
    const out = new PassThrough();
    out.resume();
    await expect(streamPain001(out, { ...header, controlSumKopiyky: 1n }, pages())).rejects.toThrow(/header says/);
  });
});
