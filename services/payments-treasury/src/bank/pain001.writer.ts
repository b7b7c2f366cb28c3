import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { kopiykyToDecimal } from '../shared/money';

/** pain.001.001.09 (Customer Credit Transfer Initiation V09): one file per bank, one PmtInf from the treasury account. */
export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** ISO 20022 Max35Text / Max140Text: identifiers and names longer than this fail the schema (and the bank). */
export const MAX35 = 35;
export const MAX140 = 140;

export class Pain001Error extends Error {}

function max35(what: string, v: string): string {
  if (v.length < 1 || v.length > MAX35) throw new Pain001Error(`pain.001 ${what} must be 1–35 characters, got ${v.length}`);
  return v;
}

export interface Pain001Header {
  messageId: string; // Max35Text; also PmtInfId (one payment information block per message)
  createdAt: Date;
  executionDate: string; // YYYY-MM-DD
  paymentCount: number;
  controlSumKopiyky: bigint;
  debtor: { name: string; iban: string; edrpou: string };
  creditorMfo: string;
}

/** The account holder as the register knows them: the bank checks the account belongs to them. */
export interface Pain001Creditor {
  name: string; // Max140Text (Cdtr/Nm)
  rnokpp: string | null; // РНОКПП: Cdtr/Id/PrvtId/Othr/Id with SchmeNm/Cd TXID
  documentNumber: string | null; // without РНОКПП: passport / ID card number, SchmeNm/Cd NIDN
}

/**
 * One credit transfer. The IBAN and the creditor's identifiers are plain here only: the treasury
 * stores them encrypted and decrypts them page by page while the file is written (payment.service.ts).
 */
export interface Pain001Payment {
  endToEndId: string; // 32 hex chars (payment id without hyphens): InstrId and EndToEndId
  amountKopiyky: bigint | string;
  iban: string; // UA + 27 digits (CdtrAcct/Id/IBAN)
  creditor: Pain001Creditor;
  remittance: string; // Max140Text
}

const XML_SPECIAL = /[<>&'"]/;

export function escapeXml(s: string): string {
  if (!XML_SPECIAL.test(s)) return s; // most names and references: nothing to escape, nothing allocated
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** The last value's XML, for the elements that repeat in every transaction of a file (the bank's agent, the remittance text). */
function lastOf(render: (v: string) => string): (v: string) => string {
  let key: string | undefined;
  let xml = '';
  return (v) => {
    if (v !== key) {
      xml = render(v);
      key = v;
    }
    return xml;
  };
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function mfoAgent(mfo: string): string {
  return `<FinInstnId><ClrSysMmbId><ClrSysId><Prtry>UAMFO</Prtry></ClrSysId><MmbId>${escapeXml(mfo)}</MmbId></ClrSysMmbId></FinInstnId>`;
}
const creditorAgent = lastOf((mfo) => `<CdtrAgt>${mfoAgent(mfo)}</CdtrAgt>`);
const remittanceXml = lastOf((r) => `<RmtInf><Ustrd>${escapeXml(r.slice(0, MAX140))}</Ustrd></RmtInf>`);

export function pain001Head(h: Pain001Header): string {
  if (h.debtor.name.length < 1 || h.debtor.name.length > MAX140) throw new Pain001Error('pain.001 debtor name must be 1–140 characters');
  const sum = kopiykyToDecimal(h.controlSumKopiyky);
  const debtorMfo = h.debtor.iban.substring(4, 10);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN001_NAMESPACE}"><CstmrCdtTrfInitn>` +
    `<GrpHdr><MsgId>${escapeXml(max35('MsgId', h.messageId))}</MsgId><CreDtTm>${isoSeconds(h.createdAt)}</CreDtTm><NbOfTxs>${h.paymentCount}</NbOfTxs><CtrlSum>${sum}</CtrlSum>` +
    `<InitgPty><Nm>${escapeXml(h.debtor.name)}</Nm><Id><OrgId><Othr><Id>${h.debtor.edrpou}</Id><SchmeNm><Prtry>EDRPOU</Prtry></SchmeNm></Othr></OrgId></Id></InitgPty></GrpHdr>\n` +
    `<PmtInf><PmtInfId>${escapeXml(max35('PmtInfId', h.messageId))}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>false</BtchBookg><NbOfTxs>${h.paymentCount}</NbOfTxs><CtrlSum>${sum}</CtrlSum>` +
    `<PmtTpInf><SvcLvl><Prtry>UAH-SEP</Prtry></SvcLvl><CtgyPurp><Cd>GOVT</Cd></CtgyPurp></PmtTpInf>` +
    `<ReqdExctnDt><Dt>${h.executionDate}</Dt></ReqdExctnDt>` +
    `<Dbtr><Nm>${escapeXml(h.debtor.name)}</Nm><Id><OrgId><Othr><Id>${h.debtor.edrpou}</Id><SchmeNm><Prtry>EDRPOU</Prtry></SchmeNm></Othr></OrgId></Id></Dbtr>` +
    `<DbtrAcct><Id><IBAN>${h.debtor.iban}</IBAN></Id><Ccy>UAH</Ccy></DbtrAcct><DbtrAgt>${mfoAgent(debtorMfo)}</DbtrAgt><ChrgBr>SLEV</ChrgBr>\n`
  );
}

/** Cdtr: the recipient's name and РНОКПП (TXID) or, without one, the document number (NIDN). */
export function creditorXml(c: Pain001Creditor, ref: string): string {
  const name = c.name.trim();
  if (name.length < 1 || name.length > MAX140)
    throw new Pain001Error(`pain.001 payment ${ref}: the creditor needs a name of 1–140 characters`);
  const id = c.rnokpp ? { id: c.rnokpp, scheme: 'TXID' } : c.documentNumber ? { id: c.documentNumber.trim(), scheme: 'NIDN' } : null;
  if (!id) throw new Pain001Error(`pain.001 payment ${ref}: the creditor has neither a РНОКПП nor a document number`);
  return `<Cdtr><Nm>${escapeXml(name)}</Nm><Id><PrvtId><Othr><Id>${escapeXml(max35('creditor id', id.id))}</Id><SchmeNm><Cd>${id.scheme}</Cd></SchmeNm></Othr></PrvtId></Id></Cdtr>`;
}

export function pain001Transaction(p: Pain001Payment, creditorMfo: string): string {
  const e2e = escapeXml(max35('EndToEndId', p.endToEndId));
  // Never the value itself in the message: it is personal data.
  if (!/^UA[0-9]{27}$/.test(p.iban)) throw new Pain001Error(`pain.001 payment ${p.endToEndId}: the creditor IBAN is not a Ukrainian IBAN`);
  if (p.iban.substring(4, 10) !== creditorMfo)
    throw new Pain001Error(`pain.001 payment ${p.endToEndId}: the creditor IBAN is not at the bank of the file (МФО ${creditorMfo})`);
  return (
    `<CdtTrfTxInf><PmtId><InstrId>${e2e}</InstrId><EndToEndId>${e2e}</EndToEndId></PmtId>` +
    `<Amt><InstdAmt Ccy="UAH">${kopiykyToDecimal(p.amountKopiyky)}</InstdAmt></Amt>` +
    creditorAgent(creditorMfo) +
    creditorXml(p.creditor, p.endToEndId) +
    `<CdtrAcct><Id><IBAN>${p.iban}</IBAN></Id><Ccy>UAH</Ccy></CdtrAcct><Purp><Cd>BENE</Cd></Purp>` +
    remittanceXml(p.remittance) +
    `</CdtTrfTxInf>\n`
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
export async function streamPain001(
  out: Writable,
  header: Pain001Header,
  pages: AsyncIterable<Pain001Payment[]>,
): Promise<{ count: number; sumKopiyky: bigint }> {
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
    throw new Error(
      `pain.001 ${header.messageId}: written ${count} payments / ${sum} kopiyky, header says ${header.paymentCount} / ${header.controlSumKopiyky}`,
    );
  }
  return { count, sumKopiyky: sum };
}
