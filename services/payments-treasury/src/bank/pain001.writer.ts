import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { kopiykyToDecimal } from '../shared/money';

/** pain.001.001.09 (Customer Credit Transfer Initiation V09): one file per bank, one PmtInf from the treasury account. */
export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

export interface Pain001Header {
  messageId: string; // Max35Text
  createdAt: Date;
  executionDate: string; // YYYY-MM-DD
  paymentCount: number;
  controlSumKopiyky: bigint;
  debtor: { name: string; iban: string; edrpou: string };
  creditorMfo: string;
}

export interface Pain001Payment {
  endToEndId: string; // 32 hex chars (payment id without hyphens)
  amountKopiyky: bigint | string;
  iban: string;
  recipientRef: string; // 32 hex chars (person id without hyphens): no personal data in the file beyond the account
  remittance: string; // Max140Text
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function mfoAgent(mfo: string): string {
  return `<FinInstnId><ClrSysMmbId><ClrSysId><Prtry>UAMFO</Prtry></ClrSysId><MmbId>${escapeXml(mfo)}</MmbId></ClrSysMmbId></FinInstnId>`;
}

export function pain001Head(h: Pain001Header): string {
  const sum = kopiykyToDecimal(h.controlSumKopiyky);
  const debtorMfo = h.debtor.iban.substring(4, 10);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN001_NAMESPACE}"><CstmrCdtTrfInitn>` +
    `<GrpHdr><MsgId>${escapeXml(h.messageId)}</MsgId><CreDtTm>${isoSeconds(h.createdAt)}</CreDtTm><NbOfTxs>${h.paymentCount}</NbOfTxs><CtrlSum>${sum}</CtrlSum>` +
    `<InitgPty><Nm>${escapeXml(h.debtor.name)}</Nm><Id><OrgId><Othr><Id>${h.debtor.edrpou}</Id><SchmeNm><Prtry>EDRPOU</Prtry></SchmeNm></Othr></OrgId></Id></InitgPty></GrpHdr>\n` +
    `<PmtInf><PmtInfId>${escapeXml(h.messageId)}-1</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>false</BtchBookg><NbOfTxs>${h.paymentCount}</NbOfTxs><CtrlSum>${sum}</CtrlSum>` +
    `<PmtTpInf><SvcLvl><Prtry>UAH-SEP</Prtry></SvcLvl><CtgyPurp><Cd>GOVT</Cd></CtgyPurp></PmtTpInf>` +
    `<ReqdExctnDt><Dt>${h.executionDate}</Dt></ReqdExctnDt>` +
    `<Dbtr><Nm>${escapeXml(h.debtor.name)}</Nm><Id><OrgId><Othr><Id>${h.debtor.edrpou}</Id><SchmeNm><Prtry>EDRPOU</Prtry></SchmeNm></Othr></OrgId></Id></Dbtr>` +
    `<DbtrAcct><Id><IBAN>${h.debtor.iban}</IBAN></Id><Ccy>UAH</Ccy></DbtrAcct><DbtrAgt>${mfoAgent(debtorMfo)}</DbtrAgt><ChrgBr>SLEV</ChrgBr>\n`
  );
}

export function pain001Transaction(p: Pain001Payment, creditorMfo: string): string {
  return (
    `<CdtTrfTxInf><PmtId><InstrId>${p.endToEndId}</InstrId><EndToEndId>${p.endToEndId}</EndToEndId></PmtId>` +
    `<Amt><InstdAmt Ccy="UAH">${kopiykyToDecimal(p.amountKopiyky)}</InstdAmt></Amt>` +
    `<CdtrAgt>${mfoAgent(creditorMfo)}</CdtrAgt>` +
    `<Cdtr><Id><PrvtId><Othr><Id>${p.recipientRef}</Id><SchmeNm><Prtry>EISSS</Prtry></SchmeNm></Othr></PrvtId></Id></Cdtr>` +
    `<CdtrAcct><Id><IBAN>${p.iban}</IBAN></Id><Ccy>UAH</Ccy></CdtrAcct><Purp><Cd>BENE</Cd></Purp>` +
    `<RmtInf><Ustrd>${escapeXml(p.remittance.slice(0, 140))}</Ustrd></RmtInf></CdtTrfTxInf>\n`
  );
}

export const PAIN001_TAIL = `</PmtInf></CstmrCdtTrfInitn></Document>\n`;

/** Writes a chunk and waits for the stream to drain when its buffer is full (backpressure). */
export async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Streams a pain.001 file: the header (control sums are known before the first payment, from the
 * batch), then one CdtTrfTxInf per payment as the pages arrive, then the tail. Never one big string.
 */
export async function streamPain001(out: Writable, header: Pain001Header, pages: AsyncIterable<Pain001Payment[]>): Promise<{ count: number; sumKopiyky: bigint }> {
  await writeChunk(out, pain001Head(header));
  let count = 0;
  let sum = 0n;
  for await (const page of pages) {
    let buf = '';
    for (const p of page) {
      buf += pain001Transaction(p, header.creditorMfo);
      count++;
      sum += BigInt(p.amountKopiyky);
    }
    await writeChunk(out, buf);
  }
  await writeChunk(out, PAIN001_TAIL);
  if (count !== header.paymentCount || sum !== header.controlSumKopiyky) {
    throw new Error(`pain.001 ${header.messageId}: written ${count} payments / ${sum} kopiyky, header says ${header.paymentCount} / ${header.controlSumKopiyky}`);
  }
  return { count, sumKopiyky: sum };
}
