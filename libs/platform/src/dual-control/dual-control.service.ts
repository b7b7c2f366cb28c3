import { ROLES, type Role } from '@eisss/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../db/transaction-host';
import { AuditLog } from '../auth/audit.service';
import { assertNationalScope, assertTerritory, canAccessTerritory, hasRole, type Principal } from '../auth/principal';
import { currentCorrelationId } from '../context/request-context';
import { DomainError } from '../errors/domain-error';
import { isUniqueViolation } from '../errors/pg-errors';
import { PLATFORM_OPTIONS, type PlatformOptions } from '../platform.tokens';

export enum DualControlErrorCode {
  DUAL_CONTROL_NOT_FOUND = 'DUAL_CONTROL_NOT_FOUND',
  DUAL_CONTROL_NOT_PENDING = 'DUAL_CONTROL_NOT_PENDING',
  DUAL_CONTROL_ALREADY_PENDING = 'DUAL_CONTROL_ALREADY_PENDING',
  /** The one who asked for an act cannot also approve or reject it. */
  SECOND_PERSON_REQUIRED = 'SECOND_PERSON_REQUIRED',
  DUAL_CONTROL_ROLE_REQUIRED = 'DUAL_CONTROL_ROLE_REQUIRED',
  /** The same code as PlatformErrorCode.NATIONAL_SCOPE_REQUIRED (raised by assertNationalScope). */
  NATIONAL_SCOPE_REQUIRED = 'NATIONAL_SCOPE_REQUIRED',
  DUAL_CONTROL_ACTION_UNKNOWN = 'DUAL_CONTROL_ACTION_UNKNOWN',
}

export type DualControlStatus = 'pending' | 'executed' | 'rejected';

/** One act under the two-person rule: who asked, for what, why, with which evidence; who decided. */
export interface DualControlRequest {
  id: string;
  action: string;
  subjectType: string;
  subjectId: string;
  katottg: string | null;
  payload: Record<string, unknown>;
  evidenceRef: string | null;
  reason: string;
  status: DualControlStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  result: Record<string, unknown> | null;
}

export interface DualControlRequestInput {
  action: string;
  subjectType: string;
  subjectId: string;
  /** КАТОТТГ of the subject: requester and approver must both cover it. */
  katottg: string | null;
  payload?: Record<string, unknown>;
  evidenceRef?: string | null;
  reason: string;
}

/**
 * What a service does once a second person approves an act. `execute` runs in the approval's
 * transaction: when it throws, nothing is written and the request stays pending.
 */
export interface DualControlHandler {
  /** Who may ask for the act, and approve it unless `approverRoles` says otherwise (the approver is never the one who asked). */
  roles: Role[];
  /** Who may approve or reject it, when not the same roles as the requester's (e.g. an officer asks, a supervisor approves). */
  approverRoles?: Role[];
  /** Acts of national scope (programme settings): requester and approver need the national territory. */
  nationalOnly?: boolean;
  /** Checks the act would succeed now (called when it is requested), so that a hopeless request is refused at once. */
  check?(input: DualControlRequestInput, requester: Principal): Promise<void>;
  /** Runs in the approval's transaction (its repositories join it through the TransactionHost). */
  execute(request: DualControlRequest, approver: Principal): Promise<Record<string, unknown>>;
}

const COLUMNS = `id, action, subject_type AS "subjectType", subject_id AS "subjectId", katottg, payload, evidence_ref AS "evidenceRef", reason, status,
  requested_by AS "requestedBy", to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "requestedAt",
  decided_by AS "decidedBy", to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "decidedAt", decision_note AS "decisionNote", result`;

/**
 * The two-person rule (maker-checker) for acts that move money, write it off or change who is paid:
 * a service asks (`request`) in its own transaction and answers 202 with the request; a second person
 * of the right role and territory approves it (`approve`), which carries the act out through the
 * service's registered handler in one transaction, or rejects it. Both identities are kept on the
 * request and in the audit log. Services register their handlers at start (`register`).
 */
@Injectable()
export class DualControl {
  private readonly handlers = new Map<string, DualControlHandler>();
  private readonly table: string;

  constructor(
    private readonly transactions: TransactionHost,
    private readonly audit: AuditLog,
    @Inject(PLATFORM_OPTIONS) options: PlatformOptions,
  ) {
    this.table = `${options.schema}.dual_control_request`;
  }

  register(action: string, handler: DualControlHandler): void {
    if (this.handlers.has(action)) throw new Error(`dual-control action ${action} registered twice`);
    const known = (roles: Role[]) => roles.length > 0 && roles.every((r) => (ROLES as readonly string[]).includes(r));
    if (!known(handler.roles) || (handler.approverRoles && !known(handler.approverRoles)))
      throw new Error(`dual-control action ${action} needs known roles`);
    this.handlers.set(action, handler);
  }

  actions(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** Asks for an act in the caller's transaction; nothing else changes until a second person approves. */
  request(principal: Principal, input: DualControlRequestInput): Promise<DualControlRequest> {
    return this.transactions.run(() => this.requestInTx(principal, input));
  }

  private async requestInTx(principal: Principal, input: DualControlRequestInput): Promise<DualControlRequest> {
    const tx = this.transactions;
    const handler = this.handlerOf(input.action);
    this.assertMayTakePart(principal, handler, input.katottg);
    await handler.check?.(input, principal);
    const id = randomUUID();
    try {
      await tx.query(`SAVEPOINT dual_control_request`);
      await tx.query(
        `INSERT INTO ${this.table} (id, action, subject_type, subject_id, katottg, payload, evidence_ref, reason, status, requested_by, requested_roles, correlation_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11)`,
        [
          id,
          input.action,
          input.subjectType,
          input.subjectId,
          input.katottg,
          JSON.stringify(input.payload ?? {}),
          input.evidenceRef ?? null,
          input.reason,
          principal.id,
          principal.roles,
          currentCorrelationId() ?? null,
        ],
      );
      await tx.query(`RELEASE SAVEPOINT dual_control_request`);
    } catch (err) {
      if (!isUniqueViolation(err, 'dual_control_one_pending_uq')) throw err;
      await tx.query(`ROLLBACK TO SAVEPOINT dual_control_request`);
      const [existing] = await tx.query<{ id: string }>(
        `SELECT id FROM ${this.table} WHERE action = $1 AND subject_id = $2 AND status = 'pending'`,
        [input.action, input.subjectId],
      );
      throw DomainError.conflict(
        DualControlErrorCode.DUAL_CONTROL_ALREADY_PENDING,
        `a request for ${input.action} on ${input.subjectId} is already waiting for a second person`,
        undefined,
        { approvalId: existing?.id ?? null },
      );
    }
    await this.audit.recordAction(principal, `requested:${input.action}`, input.subjectType, [input.subjectId], input.reason);
    return (await this.find(id))!;
  }

  /** A second person approves: the act is carried out and recorded with both identities, in one transaction. */
  approve(principal: Principal, id: string, note: string | null): Promise<DualControlRequest> {
    return this.transactions.run(async () => {
      const req = await this.pending(principal, id);
      const handler = this.handlerOf(req.action);
      this.assertMayTakePart(principal, handler, req.katottg, 'approve');
      const result = await handler.execute(req, principal);
      await this.transactions.query(
        `UPDATE ${this.table} SET status = 'executed', decided_by = $2, decided_roles = $3, decided_at = now(), decision_note = $4, result = $5 WHERE id = $1`,
        [id, principal.id, principal.roles, note, JSON.stringify(result)],
      );
      await this.audit.recordAction(
        principal,
        `approved:${req.action}`,
        req.subjectType,
        [req.subjectId],
        `requested by ${req.requestedBy}${note ? `: ${note}` : ''}`,
      );
      return (await this.find(id))!;
    });
  }

  /** A second person refuses the act: nothing changes but the request. */
  reject(principal: Principal, id: string, note: string): Promise<DualControlRequest> {
    return this.transactions.run(async () => {
      const req = await this.pending(principal, id);
      this.assertMayTakePart(principal, this.handlerOf(req.action), req.katottg, 'approve');
      await this.transactions.query(
        `UPDATE ${this.table} SET status = 'rejected', decided_by = $2, decided_roles = $3, decided_at = now(), decision_note = $4 WHERE id = $1`,
        [id, principal.id, principal.roles, note],
      );
      await this.audit.recordAction(
        principal,
        `rejected:${req.action}`,
        req.subjectType,
        [req.subjectId],
        `requested by ${req.requestedBy}: ${note}`,
      );
      return (await this.find(id))!;
    });
  }

  async get(principal: Principal, id: string): Promise<DualControlRequest> {
    const req = await this.find(id);
    if (!req || !canAccessTerritory(principal, req.katottg))
      throw DomainError.notFound(DualControlErrorCode.DUAL_CONTROL_NOT_FOUND, `approval request ${id} not found`);
    return req;
  }

  /** Requests visible in the principal's territory (national ones only to national users). */
  async list(
    principal: Principal,
    f: { status?: DualControlStatus; action?: string; subjectId?: string; limit: number; offset: number; withTotal?: boolean },
  ): Promise<{ items: DualControlRequest[]; total: number | null; limit: number; offset: number }> {
    const where = `WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR subject_id = $3)
      AND ($4 = 'UA' OR katottg LIKE $4 || '%')`;
    const params = [f.status ?? null, f.action ?? null, f.subjectId ?? null, principal.territory];
    const items: DualControlRequest[] = await this.transactions.query(
      `SELECT ${COLUMNS} FROM ${this.table} ${where} ORDER BY requested_at DESC, id LIMIT $5 OFFSET $6`,
      [...params, f.limit, f.offset],
    );
    const total = await this.transactions.total(f, `SELECT count(*)::int AS total FROM ${this.table} ${where}`, params);
    return { items, total, limit: f.limit, offset: f.offset };
  }

  private async pending(principal: Principal, id: string): Promise<DualControlRequest> {
    this.transactions.assertActive('DualControl.pending');
    const [req] = await this.transactions.query<DualControlRequest>(`SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1 FOR UPDATE`, [id]);
    if (!req || !canAccessTerritory(principal, req.katottg))
      throw DomainError.notFound(DualControlErrorCode.DUAL_CONTROL_NOT_FOUND, `approval request ${id} not found`);
    if (req.status !== 'pending')
      throw DomainError.conflict(
        DualControlErrorCode.DUAL_CONTROL_NOT_PENDING,
        `approval request ${id} is already ${req.status}`,
        undefined,
        { status: req.status },
      );
    if (req.requestedBy === principal.id)
      throw DomainError.forbidden(
        DualControlErrorCode.SECOND_PERSON_REQUIRED,
        `${req.action} needs a second person: the one who asked for it cannot decide it`,
      );
    return req;
  }

  private async find(id: string): Promise<DualControlRequest | null> {
    const rows = await this.transactions.query<DualControlRequest>(`SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  private handlerOf(action: string): DualControlHandler {
    const h = this.handlers.get(action);
    if (!h) throw DomainError.validation(DualControlErrorCode.DUAL_CONTROL_ACTION_UNKNOWN, `no act ${action} is known here`, 'action');
    return h;
  }

  private assertMayTakePart(
    principal: Principal,
    handler: DualControlHandler,
    katottg: string | null,
    part: 'request' | 'approve' = 'request',
  ): void {
    const roles = part === 'approve' ? (handler.approverRoles ?? handler.roles) : handler.roles;
    if (!hasRole(principal, ...roles))
      throw DomainError.forbidden(DualControlErrorCode.DUAL_CONTROL_ROLE_REQUIRED, `one of the roles ${roles.join(', ')} is required`);
    if (handler.nationalOnly) assertNationalScope(principal, 'this act');
    assertTerritory(principal, katottg);
  }
}
