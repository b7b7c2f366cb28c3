import {
  AssignmentMigratedV1,
  IMPORT_ENTITIES,
  type ImportEntity,
  HouseholdChangedV1,
  PersonPaymentAccountChangedV2,
  PersonRegisteredV1,
  Role,
  StatusGrantedV1,
  type LegacySourceSystem,
  type PayloadOf,
} from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  OutboxWriter,
  PLATFORM_CONFIG,
  TransactionHost,
  assertRole,
  canAccessTerritory,
  type PageRequest,
  type Principal,
} from '@eisss/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { SocialRegisterConfig } from '../config/config';
import { AccountSealing } from '../person/account-sealing';
import { holderOf } from '../person/payment-account';
import { PersonPii } from '../person/pii.service';
import { APPROVED_ENTITIES, MAP_ENTITY, copyLine, entityFromFileName } from './legacy-format';
import { LegacyFileError, fileSha256, inspectLegacyFile, readLegacyRows, type LegacyFile } from './legacy-reader';
import { MigrationErrorCode } from './migration.errors';
import { MigrationRepository, type ImportJobRow, type LegacyIdRow, type RejectRow } from './migration.repository';

export interface ImportProgress {
  phase: 'staging' | 'validated' | 'applying' | 'completed' | 'awaiting_approval';
  job: ImportJobRow;
  /** Rows staged so far (staging) or applied through this line (applying). */
  done: number;
}

export interface ImportFile {
  path: string;
  /** The name the operator gave (an upload's), else the path's base name. */
  name?: string;
  entity?: string;
  encoding?: string;
}

const STAGED_EVERY = 50_000;

/**
 * Bulk migration (docs/migration.md): a job per file, staged with COPY, validated set-based, then
 * applied in chunks, each chunk one transaction with its register rows, legacy id map, events and
 * the job's progress, so a crash resumes after the last committed chunk and a second run of the same
 * file changes nothing.
 */
@Injectable()
export class MigrationService {
  private readonly chunkSize: number;

  constructor(
    private readonly repo: MigrationRepository,
    private readonly db: TransactionHost,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly pii: PersonPii,
    private readonly sealing: AccountSealing,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) config: SocialRegisterConfig,
  ) {
    this.chunkSize = config.IMPORT_CHUNK_SIZE;
  }

  /** Operators of the migration: registrars (and the system) of the national territory. */
  private assertOperator(principal: Principal): void {
    assertRole(principal, Role.Registrar, Role.System);
    if (principal.territory !== 'UA')
      throw DomainError.forbidden(
        MigrationErrorCode.IMPORT_FORBIDDEN,
        'imports are national operations: a token of territory UA is needed',
      );
  }

  /** The job of a file: found by its entity and SHA-256 (the same file imports once), or created. */
  async open(principal: Principal, file: ImportFile): Promise<{ job: ImportJobRow; file: LegacyFile; existing: boolean }> {
    this.assertOperator(principal);
    const name = file.name ?? basename(file.path);
    const entity = (file.entity ?? entityFromFileName(name)) as ImportEntity | null;
    if (!entity || !(IMPORT_ENTITIES as readonly string[]).includes(entity))
      throw DomainError.validation(
        MigrationErrorCode.IMPORT_ENTITY_INVALID,
        `entity must be one of ${IMPORT_ENTITIES.join(', ')} (or the file name must start with it)`,
        'entity',
      );
    let legacy: LegacyFile;
    try {
      legacy = await inspectLegacyFile(file.path, file.encoding);
    } catch (err) {
      if (err instanceof LegacyFileError) throw DomainError.validation(`IMPORT_${err.code}`, err.message, err.field);
      throw err;
    }
    const sha = await fileSha256(file.path);
    const found = await this.repo.findJob(entity, sha);
    if (found) return { job: found, file: legacy, existing: true };
    const id = randomUUID();
    const job = await this.db.run(async () => {
      const j = await this.repo.insertJob({
        id,
        entity,
        fileName: name.slice(0, 255),
        fileSha256: sha,
        encoding: legacy.encoding,
        createdBy: principal.id,
        chunkSize: this.chunkSize,
      });
      if (j.id === id)
        await this.audit.recordAction(principal, 'import-job.created', 'import_job', [j.id], `${entity} ${j.fileName} sha256 ${sha}`);
      return j;
    });
    return { job, file: legacy, existing: job.id !== id };
  }

  /**
   * Runs a job as far as it can go: staging (needs the file), validation, and the chunks — unless it
   * waits for a second person's approval (accounts, assignments). Safe to call again at any point.
   */
  async run(jobId: string, file: LegacyFile | null, onProgress?: (p: ImportProgress) => void): Promise<ImportJobRow> {
    let job = await this.mustGet(jobId);
    if (job.status === 'staging') {
      if (!file)
        throw DomainError.conflict(
          MigrationErrorCode.IMPORT_FILE_NEEDED,
          'the job has not been staged: run it again with its file',
          'file',
        );
      job = await this.stage(job, file, onProgress);
    }
    if (job.status === 'validated') {
      const next = APPROVED_ENTITIES.includes(job.entity) ? 'awaiting_approval' : 'applying';
      await this.repo.setStatus(job.id, next);
      job = await this.mustGet(job.id);
    }
    if (job.status === 'awaiting_approval') {
      onProgress?.({ phase: 'awaiting_approval', job, done: 0 });
      return job;
    }
    if (job.status === 'applying') job = await this.apply(job, onProgress);
    return job;
  }

  /** COPY of the whole file into the job's staging, and the set-based checks, in one transaction. */
  private async stage(job: ImportJobRow, file: LegacyFile, onProgress?: (p: ImportProgress) => void): Promise<ImportJobRow> {
    const cipher = this.pii.cipher;
    const entity = job.entity;
    let staged = 0;
    const lines = async function* (): AsyncGenerator<string> {
      // Batches of lines per write: fewer, larger chunks for COPY.
      let batch = '';
      for await (const row of readLegacyRows(file, entity)) {
        batch += copyLine(job.id, entity, row, cipher);
        staged++;
        if (staged % 500 === 0) {
          yield batch;
          batch = '';
        }
        if (staged % STAGED_EVERY === 0) onProgress?.({ phase: 'staging', job, done: staged });
      }
      if (batch) yield batch;
    };
    try {
      await this.db.run(
        async () => {
          const locked = await this.repo.getJob(job.id, true);
          if (locked?.status !== 'staging') return;
          await this.repo.clearStage(entity, job.id);
          await this.repo.copyStage(entity, lines());
          await this.repo.analyze(entity);
          await this.repo.validate(entity, job.id, this.clock.today());
          await this.repo.setStatus(job.id, 'validated');
        },
        { propagation: 'new' },
      );
    } catch (err) {
      if (err instanceof LegacyFileError) {
        await this.repo.setStatus(job.id, 'failed', err.message);
        throw DomainError.validation(`IMPORT_${err.code}`, err.message, err.field);
      }
      throw err;
    }
    const after = await this.mustGet(job.id);
    onProgress?.({ phase: 'validated', job: after, done: staged });
    return after;
  }

  private async apply(job: ImportJobRow, onProgress?: (p: ImportProgress) => void): Promise<ImportJobRow> {
    for (;;) {
      const done = await this.db.run(() => this.applyNextChunk(job.id), { propagation: 'new' });
      const now = await this.mustGet(job.id);
      if (done === null) {
        if (now.status === 'applying') await this.repo.setStatus(job.id, 'completed');
        const finished = await this.mustGet(job.id);
        onProgress?.({ phase: 'completed', job: finished, done: finished.appliedThrough });
        return finished;
      }
      onProgress?.({ phase: 'applying', job: now, done });
    }
  }

  /** One chunk in the caller's transaction, under the job's row lock; answers the last line applied (null: none left). */
  private async applyNextChunk(jobId: string): Promise<number | null> {
    const job = (await this.repo.getJob(jobId, true))!;
    if (job.status !== 'applying') return null;
    const from = job.appliedThrough + 1;
    const to = await this.repo.nextChunkEnd(job.entity, job.id, job.appliedThrough, job.chunkSize);
    if (to === null) return null;
    const actor = job.createdBy;
    let rejected = 0;
    let reviews = 0;
    let created = 0;
    switch (job.entity) {
      case 'persons': {
        const people = [];
        // Two passes: a row whose identifier an earlier row of the same statement took links to it.
        for (let pass = 0; pass < 3; pass++) {
          rejected += await this.repo.linkPersons(job.id, from, to);
          people.push(...(await this.repo.createPersons(job.id, from, to, actor)));
          if ((await this.repo.unresolved('import_stage_person', job.id, from, to)) === 0) break;
        }
        reviews = await this.repo.openDuplicateReviews(job.id, from, to);
        created = people.length;
        await this.outbox.appendMany(
          PersonRegisteredV1,
          people.map((p) => ({
            aggregateId: p.personId,
            payload: {
              personId: p.personId,
              rnokppMasked: p.rnokppMasked,
              name: { lastName: p.lastName, firstName: p.firstName, patronymic: p.patronymic },
              birthDate: p.birthDate,
              sex: p.sex,
              deathDate: p.deathDate,
              katottg: p.katottg?.trim() ?? null,
              registeredAt: new Date(p.createdAt).toISOString(),
            },
          })),
        );
        break;
      }
      case 'households':
        await this.repo.applyHouseholds(job.id, from, to, actor);
        created = await this.repo.countAction(job.entity, job.id, from, to, 'create');
        break;
      case 'members': {
        rejected += await this.repo.resolveMembers(job.id, from, to);
        const changed = await this.repo.insertMembers(job.id, from, to);
        created = await this.repo.countAction(job.entity, job.id, from, to, 'create');
        const rows = await this.repo.householdsForEvents(changed.map((c) => c.householdId));
        const byId = new Map(changed.map((c) => [c.householdId, c]));
        await this.outbox.appendMany(
          HouseholdChangedV1,
          rows.map((h) => ({
            aggregateId: h.id,
            payload: {
              householdId: h.id,
              change: byId.get(h.id)!.created ? ('created' as const) : ('member-joined' as const),
              personId: byId.get(h.id)!.created ? null : byId.get(h.id)!.firstPersonId,
              katottg: h.katottg.trim(),
              members: h.members,
              version: h.version,
              changedAt: new Date(h.updatedAt).toISOString(),
            },
          })),
        );
        break;
      }
      case 'statuses': {
        rejected += await this.repo.resolveStatuses(job.id, from, to);
        const statuses = await this.repo.insertStatuses(job.id, from, to, actor);
        created = statuses.length;
        await this.outbox.appendMany(
          StatusGrantedV1,
          statuses.map((s) => ({
            aggregateId: s.personId,
            payload: {
              statusId: s.statusId,
              personId: s.personId,
              type: s.type,
              validFrom: s.validFrom,
              validTo: s.validTo,
              source: s.source,
              katottg: s.katottg?.trim() ?? null,
              details: s.details,
            },
          })),
        );
        break;
      }
      case 'accounts': {
        await this.repo.resolveAccounts(job.id, from, to);
        const changed = await this.repo.setAccounts(job.id, from, to, actor, job.approvedBy!);
        created = await this.repo.countAction(job.entity, job.id, from, to, 'create');
        const cipher = await this.pii.cipherFor(...changed.flatMap((c) => [c.ibanEnc, c.rnokppEnc]));
        const events: { aggregateId: string; payload: PayloadOf<typeof PersonPaymentAccountChangedV2> }[] = [];
        for (const c of changed) {
          const iban = cipher.decrypt(c.ibanEnc, 'iban');
          const rnokpp = cipher.decrypt(c.rnokppEnc, 'rnokpp');
          const sealed = await this.sealing.forTreasury({ method: 'bank', iban }, holderOf({ ...c, rnokpp }));
          events.push({
            aggregateId: c.personId,
            payload: {
              personId: c.personId,
              account: sealed.account,
              holder: sealed.holder,
              changeRequestId: job.id,
              requestedBy: job.createdBy,
              approvedBy: job.approvedBy!,
              version: c.version,
              changedAt: new Date(c.updatedAt).toISOString(),
            },
          });
        }
        await this.outbox.appendMany(PersonPaymentAccountChangedV2, events);
        break;
      }
      case 'assignments': {
        await this.repo.resolveAssignments(job.id, from, to);
        rejected += await this.repo.rejectAssignmentsWithoutTerritory(job.id, from, to);
        const rows = await this.repo.insertAssignments(job.id, from, to);
        created = rows.length;
        await this.outbox.appendMany(
          AssignmentMigratedV1,
          rows.map((a) => ({
            aggregateId: a.personId,
            payload: {
              importJobId: job.id,
              sourceSystem: a.sourceSystem as LegacySourceSystem,
              legacyCaseNumber: a.legacyCaseNumber,
              personId: a.personId,
              householdId: a.householdId,
              katottg: a.katottg.trim(),
              programmeCode: a.programmeCode,
              periodFrom: a.periodFrom,
              periodTo: a.periodTo,
              monthlyAmountKopiyky: a.monthlyAmountKopiyky,
              decision: a.decisionNumber || a.decisionDate ? { number: a.decisionNumber, date: a.decisionDate } : null,
              requestedBy: job.createdBy,
              approvedBy: job.approvedBy!,
            },
          })),
        );
        break;
      }
    }
    const mapEntity = MAP_ENTITY[job.entity];
    if (mapEntity) await this.repo.mapLegacyIds(job.entity, mapEntity, job.id, from, to);
    const linked = await this.repo.countAction(job.entity, job.id, from, to, 'link');
    await this.repo.chunkApplied(job.id, to, { created, linked, rejected, reviews });
    return to;
  }

  /** The second person's approval of a job that moves money (accounts, assignments); then it is applied. */
  async approve(principal: Principal, id: string): Promise<ImportJobRow> {
    assertRole(principal, Role.Supervisor);
    if (principal.territory !== 'UA')
      throw DomainError.forbidden(
        MigrationErrorCode.IMPORT_FORBIDDEN,
        'imports are national operations: a token of territory UA is needed',
      );
    return this.db.run(async () => {
      const job = await this.repo.getJob(id, true);
      if (!job) throw DomainError.notFound(MigrationErrorCode.IMPORT_JOB_NOT_FOUND, 'no such import job', 'id');
      if (job.status !== 'awaiting_approval')
        throw DomainError.conflict(
          MigrationErrorCode.IMPORT_NOT_AWAITING_APPROVAL,
          `the job is ${job.status}, not awaiting approval`,
          'status',
        );
      if (job.createdBy === principal.id)
        throw DomainError.forbidden(
          MigrationErrorCode.IMPORT_SAME_PERSON,
          'the job must be approved by a person other than the one who created it',
        );
      await this.repo.approve(id, principal.id);
      await this.audit.recordAction(principal, 'import-job.approved', 'import_job', [id], `${job.entity}: ${job.totalRows} rows`);
      return (await this.repo.getJob(id))!;
    });
  }

  async get(principal: Principal, id: string): Promise<ImportJobRow> {
    this.assertOperatorOrApprover(principal);
    return this.mustGet(id);
  }

  list(principal: Principal, page: PageRequest, filter: { status?: string; entity?: string }) {
    this.assertOperatorOrApprover(principal);
    return this.repo.listJobs(page, filter);
  }

  /** The reject report page by page (line order): never the identifiers themselves, only line, field, code and message. */
  async *rejects(principal: Principal, id: string): AsyncGenerator<RejectRow> {
    this.assertOperatorOrApprover(principal);
    await this.mustGet(id);
    let after = 0;
    for (;;) {
      const page = await this.repo.rejects(id, after, 5000);
      if (page.length === 0) return;
      yield* page;
      after = page[page.length - 1]!.line;
      if (page.length < 5000) return;
    }
  }

  rejectSummary(id: string) {
    return this.repo.rejectSummary(id);
  }

  /** The register id of a legacy id (the switch-over lookup), territory-checked and audited as a read. */
  async lookup(principal: Principal, sourceSystem: string, entity: string, legacyId: string): Promise<LegacyIdRow> {
    return this.db.run(async () => {
      const row = await this.repo.lookup(sourceSystem, entity, legacyId);
      if (!row) throw DomainError.notFound(MigrationErrorCode.LEGACY_ID_NOT_FOUND, 'no register record for this legacy id', 'legacyId');
      const territory = await this.repo.territoryOf(entity, row.registerId);
      if (!canAccessTerritory(principal, territory))
        throw DomainError.notFound(MigrationErrorCode.LEGACY_ID_NOT_FOUND, 'no register record for this legacy id', 'legacyId');
      if (entity === 'person' || entity === 'account')
        await this.audit.recordRead(principal, 'person', [row.registerId], 'legacy id lookup');
      return row;
    });
  }

  private assertOperatorOrApprover(principal: Principal): void {
    assertRole(principal, Role.Registrar, Role.Supervisor, Role.System);
    if (principal.territory !== 'UA')
      throw DomainError.forbidden(
        MigrationErrorCode.IMPORT_FORBIDDEN,
        'imports are national operations: a token of territory UA is needed',
      );
  }

  private async mustGet(id: string): Promise<ImportJobRow> {
    const job = await this.repo.getJob(id);
    if (!job) throw DomainError.notFound(MigrationErrorCode.IMPORT_JOB_NOT_FOUND, 'no such import job', 'id');
    return job;
  }

  /** Records on the job that its run stopped (see MigrationRepository.noteStopped). */
  async noteStopped(jobId: string, err: Error): Promise<void> {
    await this.repo.noteStopped(jobId, `stopped: ${err.message}; send the same file again (or restart the service) to resume`);
  }

  /** Jobs a restart left half-done (REST jobs: the service resumes those whose file it still has). */
  unfinished(): Promise<{ items: ImportJobRow[] }> {
    return this.repo.listJobs({ limit: 100, offset: 0, withTotal: false }, { status: 'applying' });
  }
}
