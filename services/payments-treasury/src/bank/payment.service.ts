import { PaymentBatchSentV1, PaymentReturnedV1, PaymentSettledV1, Role } from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  DualControl,
  assertNationalScope,
  DualControlErrorCode,
  OutboxWriter,
  PiiCryptoError,
  PiiCryptoErrorCode,
  PLATFORM_CONFIG,
  Transactional,
  canAccessTerritory,
  type DualControlRequest,
  type FieldCipher,
  type FieldDecryptPool,
  type PageRequest,
  type Principal,
} from '@eisss/platform';

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { PaymentsTreasuryConfig } from '../config/config';
import { LedgerRepository } from '../ledger/ledger.repository';
import { PiiField, TreasuryPii } from '../pii/treasury-pii';
import { territoryPrefix } from '../shared/territory';
import { writeChunk, streamPain001, type Pain001Payment } from './pain001.writer';
import { BankErrorCode } from './bank.errors';
import { StatementFormatError, classify, parseCamt, type ParsedStatement } from './camt.parser';
import {
  PaymentRepository,
  type BatchRow,
  type FilePaymentRow,
  type PaymentRow,
  type StatementEntryRow,
  type StatementSummary,
} from './payment.repository';

/**
 * A bank file decrypts on a worker thread while the main thread writes the XML of the page before
 * (two values a payment; FieldCipher.decryptPool). One worker per file: with two files downloaded at
 * once on two cores, more workers only cost more (measured at 200 000 payments: 5.9 s with one, 6.3–7.2 s
 * inline, 6.8 s with two). A file of fewer payments than POOL_MIN decrypts inline.
 */
const FILE_DECRYPT_THREADS = 1;
const FILE_DECRYPT_POOL_MIN = 64;

/**
 * The payments of a page with their IBAN and holder's identifiers decrypted (only while the file is
 * written): the IBAN and РНОКПП of every payment, the document number only of a holder without a
 * РНОКПП (the only one the file names), on the pool's workers when there is one.
 */
async function filePayments(page: FilePaymentRow[], cipher: FieldCipher, pool?: FieldDecryptPool): Promise<Pain001Payment[]> {
  const values: (string | null)[] = [];
  const fields: string[] = [];
  for (const p of page) {
    if (!p.ibanEnc) throw new Error(`payment ${p.id} in a bank batch has no IBAN`);
    values.push(p.ibanEnc, p.payeeRnokppEnc, p.payeeRnokppEnc ? null : p.payeeDocumentNumberEnc);
    fields.push(PiiField.Iban, PiiField.PayeeRnokpp, PiiField.PayeeDocumentNumber);
  }
  const plain = await cipher.decryptMany(values, fields, pool);
  let remittance = '';
  let programme: string | null = null;
  let month: string | null = null;
  return page.map((p, i) => {
    // One text a programme and month (every payment of a batch, normally): built once, not per payment.
    if (p.programmeCode !== programme || p.month !== month) {
      ({ programmeCode: programme, month } = p);
      remittance = `Соціальна виплата ${p.programmeCode} за ${p.month}`;
    }
    const rnokpp = plain[3 * i + 1]?.trim() || null;
    // A РНОКПП that decrypts to blank names no one: the document number is read instead.
    const documentNumber = plain[3 * i + 2] ?? (rnokpp ? null : cipher.decrypt(p.payeeDocumentNumberEnc, PiiField.PayeeDocumentNumber));
    return {
      endToEndId: p.endToEndId,
      amountKopiyky: p.amountKopiyky,
      iban: plain[3 * i]!,
      creditor: { name: p.payeeFullName ?? '', rnokpp, documentNumber },
      remittance,
    };
  });
}

export interface StatementImportResult extends StatementSummary {
  duplicate: boolean;
}

/** What a second person is asked for (two-person rule), as the requester states it. */
export interface ActRequest {
  reason: string;
  evidenceRef?: string | null;
}

/** Acts on payments that need a second person (DualControl actions). */
export const PaymentActs = {
  reissue: 'payment.reissue',
  postUndeliverable: 'payment.post-undeliverable',
  returnSettled: 'payment.return-settled',
} as const;

/** The answer of an act: done now (200) or waiting for a second person (202). */
export type ActOutcome<T> = { status: 200; body: T } | { status: 202; body: DualControlRequest };

/**
 * Payments: batches to banks (pain.001) and the post, statements (camt.053/054), returns and re-issues.
 * Money goes only to the account on the assignment copy (the register's approved one). Acts that
 * move money a second time or undo a payment need a second treasurer (DualControl): re-issue, an
 * undeliverable post payment, the return of an already settled payment.
 */
@Injectable()
export class PaymentService implements OnModuleInit {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly ledger: LedgerRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly dual: DualControl,
    @Inject(PLATFORM_CONFIG) private readonly config: PaymentsTreasuryConfig,
    private readonly pii: TreasuryPii,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.dual.register(PaymentActs.reissue, {
      roles: [Role.Treasurer],
      execute: async (req) => {
        const p = await this.returnedPayment(req.subjectId);
        const id = randomUUID();
        if (!(await this.payments.reissue(p, id))) throw this.noAccount(p.id);
        return { paymentId: id, reissueOf: p.id };
      },
    });
    this.dual.register(PaymentActs.postUndeliverable, {
      roles: [Role.Treasurer],
      execute: async (req) => {
        const p = await this.sentPostPayment(req.subjectId);
        const on = String(req.payload.on);
        await this.return(p, 'POST_UNDELIVERABLE', on);
        return { paymentId: p.id, status: 'returned', returnedOn: on };
      },
    });
    this.dual.register(PaymentActs.returnSettled, {
      roles: [Role.Treasurer],
      execute: async (req, approver) => {
        const p = await this.payments.findById(req.subjectId, true);
        if (!p) throw DomainError.notFound(BankErrorCode.PAYMENT_NOT_FOUND, `payment ${req.subjectId} not found`);
        if (p.status !== 'settled')
          throw DomainError.conflict(
            BankErrorCode.PAYMENT_NOT_SETTLED,
            `payment ${p.id} is ${p.status}: only a settled payment's return waits for approval`,
            undefined,
            { status: p.status },
          );
        const { statementId, seq, reasonCode, on } = req.payload as { statementId: string; seq: number; reasonCode: string; on: string };
        await this.return(p, reasonCode, on);
        await this.payments.markEntryReturned(
          statementId,
          seq,
          `return of a settled payment approved by ${approver.id} (requested by ${req.requestedBy})`,
        );
        return { paymentId: p.id, status: 'returned', returnedOn: on };
      },
    });
  }

  /** Payments of an approved payroll (set-based); lines without an account wait for one. */
  @Transactional()
  createPaymentsFor(payrollId: string, programmeCode: string) {
    return this.payments.createForPayroll(payrollId, programmeCode);
  }

  /** Payments for lines accrued without an account, now that their assignment has one. */
  @Transactional()
  payAwaitingAccount(f: { payrollId?: string; assignmentId?: string }): Promise<number> {
    return this.payments.payAwaitingAccount(f);
  }

  awaitingAccountCount(payrollId: string): Promise<number> {
    return this.payments.awaitingAccountCount(payrollId);
  }

  /**
   * Creates batches for what is pending (payments of lines whose account arrived, re-issues) and
   * sends every unsent batch: ledger entries and one PaymentBatchSent event per batch. The files
   * are streamed from the batches.
   */
  @Transactional()
  async exportBatches(payrollId: string): Promise<BatchRow[]> {
    await this.payments.payAwaitingAccount({ payrollId });
    const batches = await this.payments.createBatches(payrollId, 'PT');
    const sentOn = this.clock.today();
    await this.ledger.postBatchesSent(batches.map((b) => b.id));
    for (const b of batches) {
      await this.outbox.append(
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

  /** A batch file holds every account of a bank across the country: national users only. */
  async batch(principal: Principal, id: string): Promise<BatchRow> {
    assertNationalScope(principal, 'a bank file');
    const b = await this.payments.batch(id);
    if (!b) throw DomainError.notFound(BankErrorCode.BATCH_NOT_FOUND, `payment batch ${id} not found`);
    return b;
  }

  async batches(principal: Principal, payrollId: string): Promise<BatchRow[]> {
    assertNationalScope(principal, 'the batches of a payroll');
    const rows = await this.payments.batches(payrollId);
    await this.audit.recordAction(
      principal,
      'read',
      'payment-batch',
      rows.map((b) => b.id),
      `batches of payroll ${payrollId}`,
    );
    return rows;
  }

  /**
   * Opens a batch file for download: a read of every person in it, recorded (one audit row per
   * recipient, set-based, and one for the batch with its count) and committed before a byte leaves.
   */
  async openBatchFile(principal: Principal, batchId: string): Promise<BatchRow> {
    const b = await this.batch(principal, batchId);
    await this.auditDownload(principal, b);
    return b;
  }

  /** The download's audit rows (every recipient and the batch), in one transaction. */
  @Transactional()
  private async auditDownload(principal: Principal, b: BatchRow): Promise<void> {
    const n = await this.payments.auditBatchRead(principal, b.id, `bank file ${b.messageId}`);
    await this.audit.recordAction(principal, 'download', 'payment-batch', [b.id], `${b.channel} file ${b.messageId}: ${n} payments`);
  }

  /** Streams a batch's file (opened with openBatchFile): pain.001.001.09 for a bank, a CSV list for the post. */
  async writeBatchFile(b: BatchRow, out: Writable, onPage?: (n: number) => void): Promise<{ count: number; sumKopiyky: bigint }> {
    const batchId = b.id;
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
    const { payments, pii } = this;
    // The IBAN and the holder's identifiers are decrypted here only, page by page, into the file: the
    // cipher is loaded once per file (reloaded only when a page names a key it does not hold, after a
    // rotation: its decryption fails with KEY_UNKNOWN), and its worker decrypts the next page while
    // this one is written.
    let cipher = await this.pii.cipherFor();
    const pooled = b.paymentCount >= FILE_DECRYPT_POOL_MIN;
    const pools: FieldDecryptPool[] = [];
    let pool = pooled ? cipher.decryptPool(FILE_DECRYPT_THREADS) : undefined;
    if (pool) pools.push(pool);
    const decrypted = async (page: FilePaymentRow[]): Promise<Pain001Payment[]> => {
      try {
        return await filePayments(page, cipher, pool);
      } catch (err) {
        if (!(err instanceof PiiCryptoError && err.code === PiiCryptoErrorCode.KEY_UNKNOWN)) throw err;
        // The page names a key the cipher does not hold (a rotation since it was loaded): reloaded once for it.
        cipher = await pii.cipherFor(page.flatMap((p) => [p.ibanEnc, p.payeeRnokppEnc, p.payeeDocumentNumberEnc]));
        if (pooled) pools.push((pool = cipher.decryptPool(FILE_DECRYPT_THREADS)));
        return filePayments(page, cipher, pool);
      }
    };
    async function* pages(): AsyncGenerator<Pain001Payment[]> {
      let pending: Promise<Pain001Payment[]> | null = null;
      for await (const page of payments.batchPages(batchId)) {
        onPage?.(page.length);
        const next = decrypted(page);
        next.catch(() => undefined); // awaited below; a failure is thrown there, never unhandled
        if (pending) yield await pending;
        pending = next;
      }
      if (pending) yield await pending;
    }
    try {
      return await this.streamBankFile(b, out, pages());
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  }

  private streamBankFile(
    b: BatchRow,
    out: Writable,
    pages: AsyncIterable<Pain001Payment[]>,
  ): Promise<{ count: number; sumKopiyky: bigint }> {
    return streamPain001(
      out,
      {
        messageId: b.messageId,
        createdAt: this.clock.now(),
        executionDate: this.clock.today(),
        paymentCount: b.paymentCount,
        controlSumKopiyky: BigInt(b.totalKopiyky),
        debtor: {
          name: this.config.TREASURY_DEBTOR_NAME,
          iban: this.config.TREASURY_DEBTOR_IBAN,
          edrpou: this.config.TREASURY_DEBTOR_EDRPOU,
        },
        creditorMfo: b.mfo!,
      },
      pages,
    );
  }

  /**
   * Re-issues the returned payments of an assignment to its new account (called when the register's
   * approved account arrives on an assignment event: the account is not a person's input).
   */
  @Transactional()
  async reissueReturned(assignmentId: string): Promise<number> {
    const ids = await this.payments.lockReturned(assignmentId);
    let n = 0;
    for (const id of ids) {
      const p = (await this.payments.findById(id))!;
      if (await this.payments.reissue(p, randomUUID())) n++;
    }
    return n;
  }

  /**
   * A treasurer asks to re-issue one returned payment: to the account on the assignment now (no
   * account can be given). Answers the request; a second treasurer's approval creates the payment.
   */
  @Transactional()
  async requestReissue(principal: Principal, paymentId: string, act: ActRequest): Promise<DualControlRequest> {
    const p = await this.visiblePayment(principal, paymentId);
    await this.returnedPayment(p.id);
    if (!(await this.payments.assignmentPayable(p.assignmentId))) throw this.noAccount(p.id);
    return this.dual.request(principal, {
      action: PaymentActs.reissue,
      subjectType: 'payment',
      subjectId: p.id,
      katottg: p.katottg,
      payload: {
        paymentId: p.id,
        assignmentId: p.assignmentId,
        month: p.month,
        amountKopiyky: p.amountKopiyky,
        returnReasonCode: p.returnReasonCode,
      },
      evidenceRef: act.evidenceRef ?? null,
      reason: act.reason,
    });
  }

  /**
   * The post office confirms delivery (settled at once) or reports an undeliverable payment (the
   * return waits for a second treasurer: 202 with the request).
   */
  @Transactional()
  async confirmPost(
    principal: Principal,
    paymentId: string,
    outcome: 'delivered' | 'undeliverable',
    on: string,
    act: Partial<ActRequest> = {},
  ): Promise<ActOutcome<PaymentRow>> {
    const p = await this.visiblePayment(principal, paymentId);
    await this.sentPostPayment(p.id);
    if (outcome === 'delivered') {
      await this.settle(p, on);
      await this.audit.recordAction(principal, 'post-delivered', 'payment', [p.id], `delivered on ${on}`);
      return { status: 200, body: (await this.payments.findById(paymentId))! };
    }
    const request = await this.dual.request(principal, {
      action: PaymentActs.postUndeliverable,
      subjectType: 'payment',
      subjectId: p.id,
      katottg: p.katottg,
      payload: { paymentId: p.id, on, amountKopiyky: p.amountKopiyky },
      evidenceRef: act.evidenceRef ?? null,
      reason: act.reason ?? 'post office: undeliverable',
    });
    return { status: 202, body: request };
  }

  /**
   * Imports a bank statement (camt.053, validated against camt.053.001.08) or notification (camt.054)
   * of the treasury account: settles and returns payments, keeps unmatched entries for review; the
   * return of an already settled payment waits for a second person. Idempotent per message.
   */
  async importStatement(principal: Principal, xml: string): Promise<StatementImportResult> {
    assertNationalScope(principal, 'a statement of the treasury account');
    let parsed;
    try {
      parsed = parseCamt(xml);
    } catch (err) {
      if (err instanceof StatementFormatError) throw DomainError.validation(BankErrorCode.STATEMENT_MALFORMED, err.message, 'xml');
      throw err;
    }
    if (parsed.kind === 'camt.053') await this.validateXsd(xml, this.config.TREASURY_CAMT053_XSD);
    if (parsed.accountIbans.some((iban) => !iban)) {
      throw DomainError.unprocessable(
        BankErrorCode.STATEMENT_ACCOUNT_MISSING,
        'the statement does not name the account (Acct/Id/IBAN): it cannot be reconciled with the treasury account',
        'xml',
      );
    }
    if (parsed.accountIbans.some((iban) => iban !== this.config.TREASURY_DEBTOR_IBAN)) {
      throw DomainError.unprocessable(
        BankErrorCode.STATEMENT_WRONG_ACCOUNT,
        'the statement is for another account than the treasury paying account',
        'xml',
      );
    }
    return this.bookStatement(principal, parsed);
  }

  /** Books a parsed statement's entries and the statement itself, in one transaction (a message seen before changes nothing). */
  @Transactional()
  private async bookStatement(principal: Principal, parsed: ParsedStatement): Promise<StatementImportResult> {
    const existing = await this.payments.findStatement(parsed.messageId, parsed.statementId);
    if (existing) return { ...existing, duplicate: true };
    const statementRowId = randomUUID();
    const entries: StatementEntryRow[] = [];
    let seq = 0;
    for (const t of parsed.transactions) {
      seq++;
      const base = {
        seq,
        endToEndId: t.endToEndId,
        amountKopiyky: t.amountKopiyky.toString(),
        direction: t.direction,
        bookingDate: t.bookingDate,
        returnReasonCode: t.returnReasonCode,
      };
      const kind = classify(t);
      const p = t.endToEndId ? await this.payments.findByEndToEndId(t.endToEndId) : null;
      if (!p || kind === 'ignored' || t.currency !== 'UAH' || BigInt(p.amountKopiyky) !== t.amountKopiyky) {
        const note = !p
          ? 'no payment with this EndToEndId'
          : kind === 'ignored'
            ? 'entry is not a booked debit or a return'
            : 'amount or currency differs from the payment';
        entries.push({ ...base, outcome: 'unmatched', paymentId: p?.id ?? null, note });
        continue;
      }
      const on = t.bookingDate ?? this.clock.today();
      if (kind === 'settled') {
        if (p.status !== 'sent') {
          entries.push({ ...base, outcome: 'duplicate', paymentId: p.id, note: `payment is already ${p.status}` });
          continue;
        }
        await this.settle(p, on);
        entries.push({ ...base, outcome: 'settled', paymentId: p.id, note: null });
      } else if (p.status === 'sent') {
        await this.return(p, t.returnReasonCode ?? 'REVERSAL', on);
        entries.push({ ...base, outcome: 'returned', paymentId: p.id, note: null });
      } else if (p.status === 'settled') {
        // A settled payment was paid out: its return is booked only when a second person approves.
        const reasonCode = t.returnReasonCode ?? 'REVERSAL';
        try {
          const request = await this.dual.request(principal, {
            action: PaymentActs.returnSettled,
            subjectType: 'payment',
            subjectId: p.id,
            katottg: p.katottg,
            payload: {
              paymentId: p.id,
              statementId: statementRowId,
              seq,
              messageId: parsed.messageId,
              reasonCode,
              on,
              amountKopiyky: p.amountKopiyky,
            },
            evidenceRef: `${parsed.kind} ${parsed.messageId} / ${parsed.statementId} entry ${seq}`,
            reason: `the bank returns payment ${p.endToEndId}, already settled (${reasonCode})`,
          });
          entries.push({
            ...base,
            outcome: 'return-pending-approval',
            paymentId: p.id,
            note: `return of a settled payment: waits for a second person (approval ${request.id})`,
          });
        } catch (err) {
          if (!(err instanceof DomainError) || err.code !== DualControlErrorCode.DUAL_CONTROL_ALREADY_PENDING) throw err;
          entries.push({
            ...base,
            outcome: 'duplicate',
            paymentId: p.id,
            note: `a return of this settled payment already waits for a second person (approval ${String(err.details?.approvalId)})`,
          });
        }
      } else {
        entries.push({ ...base, outcome: 'duplicate', paymentId: p.id, note: `payment is already ${p.status}` });
      }
    }
    const summary: StatementSummary = {
      id: statementRowId,
      kind: parsed.kind,
      messageId: parsed.messageId,
      statementId: parsed.statementId,
      entryCount: entries.length,
      settledCount: entries.filter((e) => e.outcome === 'settled').length,
      returnedCount: entries.filter((e) => e.outcome === 'returned').length,
      unmatchedCount: entries.filter((e) => e.outcome === 'unmatched').length,
      pendingApprovalCount: entries.filter((e) => e.outcome === 'return-pending-approval').length,
    };
    await this.payments.insertStatement({ ...summary, importedBy: principal.id }, entries);
    await this.audit.recordAction(
      principal,
      'import',
      'statement',
      [statementRowId],
      `${parsed.kind} ${parsed.messageId}: ${entries.length} entries`,
    );
    return { ...summary, duplicate: false };
  }

  /** Unmatched statement entries for review in the principal's territory; the read is audited. */
  @Transactional()
  async unmatched(principal: Principal, pageRequest: PageRequest) {
    const page = await this.payments.unmatched(territoryPrefix(principal), pageRequest);
    await this.audit.recordRead(
      principal,
      'person',
      [...new Set(page.items.map((i) => i.recipientPersonId).filter((x): x is string => !!x))],
      'unmatched statement entries',
    );
    await this.audit.recordAction(
      principal,
      'read',
      'statement-entry',
      page.items.map((i) => `${i.messageId}#${i.seq}`),
      'unmatched statement entries',
    );
    return { items: page.items.map(({ recipientPersonId: _, ...e }) => e), total: page.total };
  }

  async list(
    principal: Principal,
    f: { payrollId?: string; assignmentId?: string; status?: string; limit: number; offset: number; withTotal?: boolean },
  ) {
    const page = await this.payments.list({ ...f, territory: principal.territory });
    await this.audit.recordRead(principal, 'person', [...new Set(page.items.map((p) => p.recipientPersonId))], 'payments');
    return page;
  }

  async get(principal: Principal, id: string): Promise<PaymentRow> {
    const p = await this.visiblePayment(principal, id);
    await this.audit.recordRead(principal, 'person', [p.recipientPersonId], `payment ${id}`);
    return p;
  }

  /** A payment in the principal's territory (404 otherwise: its existence is not disclosed). */
  private async visiblePayment(principal: Principal, id: string): Promise<PaymentRow> {
    const p = await this.payments.findById(id);
    if (!p || !canAccessTerritory(principal, p.katottg))
      throw DomainError.notFound(BankErrorCode.PAYMENT_NOT_FOUND, `payment ${id} not found`);
    return p;
  }

  private async returnedPayment(id: string): Promise<PaymentRow> {
    const p = await this.payments.findById(id, true);
    if (!p) throw DomainError.notFound(BankErrorCode.PAYMENT_NOT_FOUND, `payment ${id} not found`);
    if (p.status !== 'returned')
      throw DomainError.conflict(
        BankErrorCode.PAYMENT_NOT_RETURNED,
        `payment ${id} is ${p.status}, only a returned payment is re-issued`,
        undefined,
        { status: p.status },
      );
    return p;
  }

  private async sentPostPayment(id: string): Promise<PaymentRow> {
    const p = await this.payments.findById(id, true);
    if (!p) throw DomainError.notFound(BankErrorCode.PAYMENT_NOT_FOUND, `payment ${id} not found`);
    if (p.method !== 'post') throw DomainError.conflict(BankErrorCode.PAYMENT_NOT_POST, `payment ${id} is not a post payment`);
    if (p.status !== 'sent')
      throw DomainError.conflict(BankErrorCode.PAYMENT_NOT_SENT, `payment ${id} is ${p.status}`, undefined, { status: p.status });
    return p;
  }

  private noAccount(paymentId: string): DomainError {
    return DomainError.unprocessable(
      BankErrorCode.PAYMENT_ACCOUNT_MISSING,
      `the assignment of payment ${paymentId} has no approved account in the register: nothing can be re-issued until one arrives`,
    );
  }

  private async settle(p: PaymentRow, on: string): Promise<void> {
    await this.payments.markSettled(p.id, on);
    await this.outbox.append(
      PaymentSettledV1,
      {
        paymentId: p.id,
        assignmentId: p.assignmentId,
        recipientPersonId: p.recipientPersonId,
        programmeCode: p.programmeCode,
        month: p.month,
        amountKopiyky: p.amountKopiyky,
        settledOn: on,
      },
      { aggregateId: p.assignmentId },
    );
  }

  private async return(p: PaymentRow, reasonCode: string, on: string): Promise<void> {
    await this.payments.markReturned(p.id, reasonCode, on);
    await this.ledger.post({
      kind: 'return',
      amount: BigInt(p.amountKopiyky),
      recipientPersonId: p.recipientPersonId,
      programmeCode: p.programmeCode,
      assignmentId: p.assignmentId,
      month: p.month,
      refId: p.id,
    });
    await this.outbox.append(
      PaymentReturnedV1,
      {
        paymentId: p.id,
        assignmentId: p.assignmentId,
        recipientPersonId: p.recipientPersonId,
        programmeCode: p.programmeCode,
        month: p.month,
        amountKopiyky: p.amountKopiyky,
        reasonCode,
        returnedOn: on,
      },
      { aggregateId: p.assignmentId },
    );
  }

  private schemaText?: Promise<string>;

  private async validateXsd(xml: string, xsdPath: string): Promise<void> {
    const { validateXML } = await import('xmllint-wasm');
    this.schemaText ??= readFile(xsdPath, 'utf8');
    const schema = await this.schemaText;
    const r = await validateXML({
      xml: [{ fileName: 'statement.xml', contents: xml }],
      schema: [{ fileName: 'camt.053.001.08.xsd', contents: schema }],
    });
    if (!r.valid) {
      throw DomainError.validation(
        BankErrorCode.STATEMENT_SCHEMA_INVALID,
        'the statement does not validate against camt.053.001.08',
        'xml',
        { errors: r.errors.slice(0, 5).map((e) => e.message) },
      );
    }
  }
}
