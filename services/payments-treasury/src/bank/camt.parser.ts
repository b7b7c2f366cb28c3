import { XMLParser } from 'fast-xml-parser';

/** One transaction of a bank statement (camt.053) or notification (camt.054), as the treasury needs it. */
export interface StatementTransaction {
  endToEndId: string | null;
  amountKopiyky: bigint;
  currency: string;
  direction: 'DBIT' | 'CRDT';
  reversal: boolean;
  status: string;
  bookingDate: string | null;
  returnReasonCode: string | null;
}

export interface ParsedStatement {
  kind: 'camt.053' | 'camt.054';
  messageId: string;
  statementId: string;
  /** Account IBAN of each Stmt/Ntfctn, in order (null where a report carries none). */
  accountIbans: (string | null)[];
  transactions: StatementTransaction[];
}

const ARRAYS = new Set(['Stmt', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls', 'Bal']);

type Node = Record<string, unknown>;
const obj = (v: unknown): Node => (v && typeof v === 'object' ? (v as Node) : {});
const arr = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v === undefined ? [] : [obj(v)]);
const text = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') {
    const t = (v as Node)['#text'];
    return t === undefined ? null : String(t);
  }
  return String(v);
};
/**
 * A statement amount: a non-negative decimal with at most 2 fraction digits (UAH kopiyky); the
 * direction is CdtDbtInd, never a sign. Anything else is a malformed statement, not a server error.
 */
export function statementAmount(raw: string | null, where: string): bigint {
  const s = (raw ?? '').trim();
  const m = /^([0-9]{1,18})(?:\.([0-9]{1,2}))?$/.exec(s);
  if (!m)
    throw new StatementFormatError(
      `${where}: amount ${JSON.stringify(s.slice(0, 40))} is not a non-negative amount with at most 2 decimals`,
    );
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}
const amountOf = (v: unknown, where: string): { kop: bigint; ccy: string } => ({
  kop: statementAmount(text(v), where),
  ccy: String(obj(v)['@_Ccy'] ?? ''),
});
const dateOf = (v: unknown): string | null => {
  const o = obj(v);
  const d = text(o.Dt) ?? text(o.DtTm);
  return d ? d.slice(0, 10) : null;
};

export class StatementFormatError extends Error {}

/** Parses camt.053.001.08 (BkToCstmrStmt) or camt.054 (BkToCstmrDbtCdtNtfctn); amounts stay exact (strings → kopiyky). */
export function parseCamt(xml: string): ParsedStatement {
  const parser = new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => ARRAYS.has(name),
  });
  let doc: Node;
  try {
    doc = obj(obj(parser.parse(xml)).Document);
  } catch (err) {
    throw new StatementFormatError(`not well-formed XML: ${(err as Error).message}`);
  }
  const stmtRoot = doc.BkToCstmrStmt ? obj(doc.BkToCstmrStmt) : null;
  const ntfRoot = doc.BkToCstmrDbtCdtNtfctn ? obj(doc.BkToCstmrDbtCdtNtfctn) : null;
  const root = stmtRoot ?? ntfRoot;
  if (!root) throw new StatementFormatError('neither BkToCstmrStmt (camt.053) nor BkToCstmrDbtCdtNtfctn (camt.054)');
  const messageId = text(obj(root.GrpHdr).MsgId);
  if (!messageId) throw new StatementFormatError('GrpHdr/MsgId is missing');
  const reports = stmtRoot ? arr(root.Stmt) : arr(root.Ntfctn);
  if (reports.length === 0) throw new StatementFormatError('no Stmt/Ntfctn in the message');
  const transactions: StatementTransaction[] = [];
  const accountIbans: (string | null)[] = [];
  const ids: string[] = [];
  for (const r of reports) {
    ids.push(text(r.Id) ?? '');
    accountIbans.push(text(obj(obj(obj(r.Acct).Id)).IBAN)?.trim() || null);
    let ntrySeq = 0;
    for (const n of arr(r.Ntry)) {
      ntrySeq++;
      const where = `entry ${ntrySeq} of ${text(r.Id) ?? 'the report'}`;
      const ntryAmt = amountOf(n.Amt, where);
      const direction = text(n.CdtDbtInd) === 'CRDT' ? 'CRDT' : 'DBIT';
      const reversal = text(n.RvslInd) === 'true';
      const sts = obj(n.Sts);
      const status = text(sts.Cd) ?? text(sts.Prtry) ?? text(n.Sts) ?? '';
      const bookingDate = dateOf(n.BookgDt) ?? dateOf(n.ValDt);
      const txs = arr(n.NtryDtls).flatMap((d) => arr(d.TxDtls));
      if (txs.length === 0) {
        transactions.push({
          endToEndId: null,
          amountKopiyky: ntryAmt.kop,
          currency: ntryAmt.ccy,
          direction,
          reversal,
          status,
          bookingDate,
          returnReasonCode: null,
        });
        continue;
      }
      for (const t of txs) {
        const amt = t.Amt !== undefined ? amountOf(t.Amt, where) : ntryAmt;
        const rsn = obj(obj(t.RtrInf).Rsn);
        transactions.push({
          endToEndId: text(obj(t.Refs).EndToEndId),
          amountKopiyky: amt.kop,
          currency: amt.ccy,
          direction: text(t.CdtDbtInd) === 'CRDT' ? 'CRDT' : text(t.CdtDbtInd) === 'DBIT' ? 'DBIT' : direction,
          reversal,
          status,
          bookingDate,
          returnReasonCode: text(rsn.Cd) ?? text(rsn.Prtry),
        });
      }
    }
  }
  return { kind: stmtRoot ? 'camt.053' : 'camt.054', messageId, statementId: ids.join(','), accountIbans, transactions };
}

/** What an entry means for a payment: a debit booked = settled; a credit with a return reason or a reversal = returned. */
export function classify(t: StatementTransaction): 'settled' | 'returned' | 'ignored' {
  if (t.status && t.status !== 'BOOK') return 'ignored';
  if (t.reversal || (t.direction === 'CRDT' && t.returnReasonCode)) return 'returned';
  if (t.direction === 'DBIT') return 'settled';
  return 'ignored';
}
