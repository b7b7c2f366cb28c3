import { XMLParser } from 'fast-xml-parser';
import { PassThrough } from 'node:stream';
import { streamPain001 } from './pain001.writer';

describe('streamPain001', () => {
  const header = {
    messageId: 'PT1',
    createdAt: new Date('2026-12-03T08:00:00Z'),
    executionDate: '2026-12-03',
    paymentCount: 3,
    controlSumKopiyky: 600001n,
    debtor: { name: 'Казначейство & Co <test>', iban: 'UA938999980000035221139001014', edrpou: '37567646' },
    creditorMfo: '322313',
  };
  const pay = (i: number, amount: string) => ({ endToEndId: `e2e${i}`.padEnd(32, '0'), amountKopiyky: amount, iban: 'UA213223130000026007233566001', recipientRef: 'r'.repeat(32), remittance: 'Соціальна виплата' });

  async function* pages() {
    yield [pay(1, '200000'), pay(2, '200000')];
    yield [pay(3, '200001')];
  }

  it('writes a parseable file whose control sums match the payments when streamed in pages', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await streamPain001(out, header, pages());
    out.end();
    const xml = Buffer.concat(chunks).toString('utf8');
    expect(chunks.length).toBeGreaterThan(2);
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => n === 'CdtTrfTxInf' }).parse(xml).Document.CstmrCdtTrfInitn;
    expect(doc.GrpHdr.NbOfTxs).toBe('3');
    expect(doc.GrpHdr.CtrlSum).toBe('6000.01');
    expect(doc.GrpHdr.InitgPty.Nm).toBe('Казначейство & Co <test>');
    expect(doc.PmtInf.CdtTrfTxInf.map((t: { Amt: { InstdAmt: { '#text': string; '@_Ccy': string } } }) => t.Amt.InstdAmt['#text'])).toEqual(['2000.00', '2000.00', '2000.01']);
    expect(doc.PmtInf.DbtrAcct.Ccy).toBe('UAH');
  });

  it('fails when the payments do not add up to the header control sum', async () => {
    const out = new PassThrough();
    out.resume();
    await expect(streamPain001(out, { ...header, controlSumKopiyky: 1n }, pages())).rejects.toThrow(/header says/);
  });
});
