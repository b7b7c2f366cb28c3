import { PaymentBatchSentV1, PaymentReturnedV1, PaymentSettledV1, type PaymentMethod } from '@eisss/contracts';
import { DomainError, OutboxWriter, PLATFORM_CONFIG, kyivDate, type Principal } from '@eisss/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Static } from '@sinclair/typebox';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type { PaymentsTreasuryConfig } from '../config/config';
import { LedgerRepository } from '../ledger/ledger.repository';
import { writeChunk, streamPain001, type Pain001Payment } from './pain001.writer';
import { BankErrorCode } from './bank.errors';
import { StatementFormatError, classify, parseCamt } from './camt.parser';
import { PaymentRepository, type BatchRow, type PaymentRow, type StatementEntryRow, type StatementSummary } from './payment.repository';

type Method = Static<typeof PaymentMethod>;

export interface StatementImportResult extends StatementSummary {
  duplicate: boolean;
}

/** Payments: batches to banks (pain.001) and the post, statements (camt.053/054), returns and re-issues. */
@Injectable()
export class PaymentService {
  /** The clock (replaceable in tests): dates of sending. */
  now: () => Date = () => new Date();

  constructor(
    private readonly payments: PaymentRepository,
    private readonly ledger: LedgerRepository,
    private readonly outbox: OutboxWriter,
    @Inject(PLATFORM_CONFIG) private readonly config: PaymentsTreasuryConfig,
  ) {}

  /** Payments of an approved payroll (set-based). */
  createPaymentsFor(tx: EntityManager, payrollId: string, programmeCode: string) {
    return this.payments.createForPayroll(tx, payrollId, programmeCode);
  }

  /**
   * Sends the pending payments of a payroll: one batch per bank (МФО of the IBAN) and one for the post,
   * ledger entries and a batch event each, in one transaction. The files are streamed from the batches.
   */
  async exportBatches(tx: EntityManager, payrollId: string): Promise<BatchRow[]> {
    const batches = await this.payments.createBatches(tx, payrollId, 'PT');
    const sentOn = kyivDate(this.now());
    for (const b of batches) {
      await this.ledger.postBatchSent(tx, b.id);
      await this.outbox.append(
        tx,
        PaymentBatchSentV1,
        {
          batchId: b.id,
          payrollId: b.payrollId,
          programmeCode: b.programmeCode,
          month: b.month,
          channel: b.channel,
          mfo: b.mfo,
          messageId: b.messageId,
          paymentCount: b.paymentCount,
          totalKopiyky: b.totalKopiyky,
          sentOn,
        },
        { aggregateId: b.id },
      );
    }
    return batches;
  }

  async batch(id: string): Promise<BatchRow> {
    const b = await this.payments.batch(id);
    if (!b) throw DomainError.notFound(BankErrorCode.BATCH_NOT_FOUND, `payment batch ${id} not found`);
    return b;
  }

  batches(payrollId: string): Promise<BatchRow[]> {
    return this.payments.batches(payrollId);
  }

  /** Streams a batch's file: pain.001.001.09 for a bank, a CSV list for the post. */
  async writeBatchFile(batchId: string, out: Writable, onPage?: (n: number) => void): Promise<{ count: number; sumKopiyky: bigint }> {
    const b = await this.batch(batchId);
    if (b.channel === 'post') {
      await writeChunk(out, 'end_to_end_id;postcode;amount_kopiyky;programme;month\n');
      let count = 0;
      let sum = 0n;
      for await (const page of this.payments.batchPages(batchId)) {
        await writeChunk(out, page.map((p) => `${p.endToEndId};${p.postcode};${p.amountKopiyky};${p.programmeCode};${p.month}\n`).join(''));
        count += page.length;
        sum += page.reduce((s, p) => s + BigInt(p.amountKopiyky), 0n);
        onPage?.(page.length);
      }
      return { count, sumKopiyky: sum };
    }
    const svc = this;
    async function* pages(): AsyncGenerator<Pain001Payment[]> {
      for await (const page of svc.payments.batchPages(batchId)) {
        onPage?.(page.length);
        yield page.map((p) => ({
          endToEndId: p.endToEndId,
          amountKopiyky: p.amountKopiyky,
          iban: p.iban!,
          recipientRef: p.recipientPersonId.replace(/-/g, ''),
          remittance: `Соціальна виплата ${p.programmeCode} за ${p.month}`,
        }));
      }
    }
    return streamPain001(
      out,
      {
        messageId: b.messageId,
        createdAt: this.now(),
        executionDate: kyivDate(this.now()),
        paymentCount: b.paymentCount,
        controlSumKopiyky: BigInt(b.totalKopiyky),
        debtor: { name: this.config.TREASURY_DEBTOR_NAME, iban: this.config.TREASURY_DEBTOR_IBAN, edrpou: this.config.TREASURY_DEBTOR_EDRPOU },
        creditorMfo: b.mfo!,
      },
      pages(),
    );
  }

  /** Re-issues the returned payments of an assignment to its corrected account (called when processing changes the account). */
  async reissueReturned(tx: EntityManager, assignmentId: string, method: Method): Promise<number> {
    const rows: { id: string }[] = await tx.query(`SELECT id FROM payments_treasury.payment WHERE assignment_id = $1 AND status = 'returned' FOR UPDATE`, [assignmentId]);
    for (const r of rows) {
      const p = (await this.payments.findById(tx, r.id))!;
      await this.payments.reissue(tx, p, randomUUID(), method);
    }
    return rows.length;
  }

  /** An operator re-issues one returned payment to a corrected account. */
  async reissue(principal: Principal, paymentId: string, method: Method): Promise<PaymentRow> {
    return this.payments.transaction(async (tx) => {
      const p = await this.payments.findById(tx, paymentId, true);
      if (!p) throw DomainError.notFound(BankErrorCode.PAYMENT_NOT_FOUND, `payment ${paymentId} not found`);
      if (p.status !== 'returned') throw DomainError.conflict(BankErrorCode.PAYMENT_NOT_RETURNED, `payment ${paymentId} is ${p.status}, only a returned payment is re-issued`, { status: p.status });
      void principal;
      const id = randomUUID();
      await this.payments.reissue(tx, p, id, method);
      return (await this.payments.findById(tx, id))!;
    });
  }

  /** The post office confirms delivery (settled) or returns an undeliverable payment. */
  async confirmPost(principal: Principal, paymentId: string, outcome: 'delivered' | 'undeliverable', on: string): Promise<PaymentRow> {
    void principal;
    return this.payments.transaction(async (tx) => {
      const p = await this.payments.findById(tx, paymentId, true);
      if (!p) throw DomainError.notFound(BankErrorCode.PAYMENT_NOT_FOUND, `payment ${paymentId} not found`);
      if (p.method !== 'post') throw DomainError.conflict(BankErrorCode.PAYMENT_NOT_POST, `payment ${paymentId} is not a post payment`);
      if (p.status !== 'sent') throw DomainError.conflict(BankErrorCode.PAYMENT_NOT_SENT, `payment ${paymentId} is ${p.status}`, { status: p.status });
      if (outcome === 'delivered') await this.settle(tx, p, on);
      else await this.return(tx, p, 'POST_UNDELIVERABLE', on);
      return (await this.payments.findById(tx, paymentId))!;
    });
  }

  /** Imports a bank statement (camt.053) or notification (camt.054): settles and returns payments, records unmatched entries. Idempotent per message. */
  async importStatement(principal: Principal, xml: string): Promise<StatementImportResult> {
    let parsed;
    try {
      parsed = parseCamt(xml);
    } catch (err) {
      if (err instanceof StatementFormatError) throw DomainError.validation(BankErrorCode.STATEMENT_MALFORMED, err.message, 'xml');
      throw err;
    }
    if (parsed.kind === 'camt.053' && this.config.TREASURY_CAMT053_XSD) await this.validateXsd(xml, this.config.TREASURY_CAMT053_XSD);
    if (parsed.accountIban && parsed.accountIban !== this.config.TREASURY_DEBTOR_IBAN) {
      throw DomainError.unprocessable(BankErrorCode.STATEMENT_WRONG_ACCOUNT, 'the statement is for another account than the treasury paying account', 'xml');
    }
    return this.payments.transaction(async (tx) => {
      const existing = await this.payments.findStatement(tx, parsed.messageId, parsed.statementId);
      if (existing) return { ...existing, duplicate: true };
      const entries: StatementEntryRow[] = [];
      let seq = 0;
      for (const t of parsed.transactions) {
        seq++;
        const base = { seq, endToEndId: t.endToEndId, amountKopiyky: t.amountKopiyky.toString(), direction: t.direction, bookingDate: t.bookingDate, returnReasonCode: t.returnReasonCode };
        const kind = classify(t);
        const p = t.endToEndId ? await this.payments.findByEndToEndId(tx, t.endToEndId) : null;
        if (!p || kind === 'ignored' || t.currency !== 'UAH' || BigInt(p.amountKopiyky) !== t.amountKopiyky) {
          const note = !p ? 'no payment with this EndToEndId' : kind === 'ignored' ? 'entry is not a booked debit or a return' : 'amount or currency differs from the payment';
          entries.push({ ...base, outcome: 'unmatched', paymentId: p?.id ?? null, note });
          continue;
        }
        const on = t.bookingDate ?? kyivDate(this.now());
        if (kind === 'settled') {
          if (p.status !== 'sent') {
            entries.push({ ...base, outcome: 'duplicate', paymentId: p.id, note: `payment is already ${p.status}` });
            continue;
          }
          await this.settle(tx, p, on);
          entries.push({ ...base, outcome: 'settled', paymentId: p.id, note: null });
        } else {
          if (p.status !== 'sent' && p.status !== 'settled') {
            entries.push({ ...base, outcome: 'duplicate', paymentId: p.id, note: `payment is already ${p.status}` });
            continue;
          }
          await this.return(tx, p, t.returnReasonCode ?? 'REVERSAL', on);
          entries.push({ ...base, outcome: 'returned', paymentId: p.id, note: null });
        }
      }
      const summary: StatementSummary = {
        id: randomUUID(),
        kind: parsed.kind,
        messageId: parsed.messageId,
        statementId: parsed.statementId,
        entryCount: entries.length,
        settledCount: entries.filter((e) => e.outcome === 'settled').length,
        returnedCount: entries.filter((e) => e.outcome === 'returned').length,
        unmatchedCount: entries.filter((e) => e.outcome === 'unmatched').length,
      };
      await this.payments.insertStatement(tx, { ...summary, importedBy: principal.id }, entries);
      return { ...summary, duplicate: false };
    });
  }

  unmatched(limit: number, offset: number) {
    return this.payments.unmatched(limit, offset);
  }

  list(principal: Principal, f: { payrollId?: string; assignmentId?: string; status?: string; limit: number; offset: number }) {
    return this.payments.list({ ...f, territory: principal.territory });
  }

  async get(principal: Principal, id: string): Promise<PaymentRow> {
    const p = await this.payments.findById(this.payments.db, id);
    if (!p || !(principal.territory === 'UA' || p.katottg.startsWith(principal.territory))) throw DomainError.notFound(BankErrorCode.PAYMENT_NOT_FOUND, `payment ${id} not found`);
    return p;
  }

  private async settle(tx: EntityManager, p: PaymentRow, on: string): Promise<void> {
    await this.payments.markSettled(tx, p.id, on);
    await this.outbox.append(
      tx,
      PaymentSettledV1,
      { paymentId: p.id, assignmentId: p.assignmentId, recipientPersonId: p.recipientPersonId, programmeCode: p.programmeCode, month: p.month, amountKopiyky: p.amountKopiyky, settledOn: on },
      { aggregateId: p.assignmentId },
    );
  }

  private async return(tx: EntityManager, p: PaymentRow, reasonCode: string, on: string): Promise<void> {
    await this.payments.markReturned(tx, p.id, reasonCode, on);
    await this.ledger.post(tx, { kind: 'return', amount: BigInt(p.amountKopiyky), recipientPersonId: p.recipientPersonId, programmeCode: p.programmeCode, assignmentId: p.assignmentId, month: p.month, refId: p.id });
    await this.outbox.append(
      tx,
      PaymentReturnedV1,
      { paymentId: p.id, assignmentId: p.assignmentId, recipientPersonId: p.recipientPersonId, programmeCode: p.programmeCode, month: p.month, amountKopiyky: p.amountKopiyky, reasonCode, returnedOn: on },
      { aggregateId: p.assignmentId },
    );
  }

  private async validateXsd(xml: string, xsdPath: string): Promise<void> {
    const { validateXML } = await import('xmllint-wasm');
    const schema = await readFile(xsdPath, 'utf8');
    const r = await validateXML({ xml: [{ fileName: 'statement.xml', contents: xml }], schema: [{ fileName: 'camt.053.001.08.xsd', contents: schema }] });
    if (!r.valid) {
      throw DomainError.validation(BankErrorCode.STATEMENT_SCHEMA_INVALID, 'the statement does not validate against camt.053.001.08', 'xml', { errors: r.errors.slice(0, 5).map((e) => e.message) });
    }
  }
}
