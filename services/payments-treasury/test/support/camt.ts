/** Builders of bank statements (camt.053.001.08) and notifications (camt.054.001.08) for tests. */
import { kopiykyToDecimal } from '../../src/shared/money';

export interface CamtEntry {
  endToEndId: string;
  amountKopiyky: string;
  kind: 'settled' | 'returned';
  returnReason?: string; // e.g. AC04
  bookingDate: string;
}

function entry(e: CamtEntry, i: number): string {
  const amt = kopiykyToDecimal(e.amountKopiyky);
  const ind = e.kind === 'settled' ? 'DBIT' : 'CRDT';
  const rtr =
    e.kind === 'returned' ? `<RtrInf><Rsn><Cd>${e.returnReason ?? 'AC04'}</Cd></Rsn><AddtlInf>Account closed</AddtlInf></RtrInf>` : '';
  return (
    `<Ntry><NtryRef>${i + 1}</NtryRef><Amt Ccy="UAH">${amt}</Amt><CdtDbtInd>${ind}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
    `<BookgDt><Dt>${e.bookingDate}</Dt></BookgDt><ValDt><Dt>${e.bookingDate}</Dt></ValDt><AcctSvcrRef>REF${i + 1}</AcctSvcrRef>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${e.kind === 'settled' ? 'ICDT' : 'RCDT'}</Cd><SubFmlyCd>${e.kind === 'settled' ? 'DMCT' : 'RRTN'}</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls><Refs><EndToEndId>${e.endToEndId}</EndToEndId></Refs><Amt Ccy="UAH">${amt}</Amt><CdtDbtInd>${ind}</CdtDbtInd>${rtr}</TxDtls></NtryDtls></Ntry>`
  );
}

export function camt053(opts: { messageId: string; statementId: string; iban: string; date: string; entries: CamtEntry[] }): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>` +
    `<GrpHdr><MsgId>${opts.messageId}</MsgId><CreDtTm>${opts.date}T18:00:00+02:00</CreDtTm></GrpHdr>` +
    `<Stmt><Id>${opts.statementId}</Id><CreDtTm>${opts.date}T18:00:00+02:00</CreDtTm><Acct><Id><IBAN>${opts.iban}</IBAN></Id><Ccy>UAH</Ccy></Acct>` +
    `<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="UAH">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${opts.date}</Dt></Dt></Bal>` +
    opts.entries.map(entry).join('') +
    `</Stmt></BkToCstmrStmt></Document>\n`
  );
}

export function camt054(opts: { messageId: string; notificationId: string; iban: string; date: string; entries: CamtEntry[] }): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>` +
    `<GrpHdr><MsgId>${opts.messageId}</MsgId><CreDtTm>${opts.date}T18:00:00+02:00</CreDtTm></GrpHdr>` +
    `<Ntfctn><Id>${opts.notificationId}</Id><Acct><Id><IBAN>${opts.iban}</IBAN></Id></Acct>` +
    opts.entries.map(entry).join('') +
    `</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n`
  );
}
