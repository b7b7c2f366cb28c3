import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ImportRunner } from './import-runner';
import { CreateImportQueryDto, ImportJobDto, ImportJobPageDto, ImportJobQueryDto, LegacyIdDto, LegacyIdParamsDto } from './migration.dto';
import { MigrationService } from './migration.service';

/** A CSV field of the reject report (quoted when it must be). */
const csv = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

@ApiTags('migration')
@ApiBearerAuth()
@Controller()
export class MigrationController {
  constructor(
    private readonly migration: MigrationService,
    private readonly runner: ImportRunner,
  ) {}

  @Post('imports')
  @HttpCode(202)
  @Roles(Role.Registrar, Role.System)
  @ApiConsumes('text/csv', 'application/gzip', 'application/x-ndjson', 'application/octet-stream')
  @ApiAcceptedResponse({
    type: ImportJobDto,
    description:
      'the file (the request body, as sent: CSV or JSON Lines, UTF-8/CP1251/CP866, gzip allowed; docs/migration.md) is taken and its job runs in the background: poll GET /imports/:id. The same file again answers its existing job.',
  })
  @ApiBadRequestResponse({
    description: 'IMPORT_ENTITY_INVALID, IMPORT_HEADER_INVALID, IMPORT_FILE_MISSING, IMPORT_FILE_TOO_LARGE, VALIDATION_FAILED',
  })
  @ApiForbiddenResponse({ description: 'IMPORT_FORBIDDEN: a national (UA) registrar only' })
  async create(@CurrentPrincipal() principal: Principal, @Query() q: CreateImportQueryDto, @Req() req: Request): Promise<ImportJobDto> {
    const path = await this.runner.spool(req);
    const { job } = await this.migration.open(principal, { path, name: q.fileName ?? 'upload', entity: q.entity, encoding: q.encoding });
    this.runner.start(job.id, path, job.encoding);
    return job;
  }

  @Get('imports')
  @Roles(Role.Registrar, Role.Supervisor, Role.System)
  @ApiOkResponse({ type: ImportJobPageDto, description: 'the import jobs, newest first' })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: ImportJobQueryDto): Promise<ImportJobPageDto> {
    const page = pageOf(q);
    return pageResult(page, await this.migration.list(principal, page, { status: q.status, entity: q.entity }));
  }

  @Get('imports/:id')
  @Roles(Role.Registrar, Role.Supervisor, Role.System)
  @ApiOkResponse({ type: ImportJobDto, description: 'status, counts and the rejects per code' })
  @ApiNotFoundResponse({ description: 'IMPORT_JOB_NOT_FOUND' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ImportJobDto> {
    const job = await this.migration.get(principal, id);
    return { ...job, rejects: await this.migration.rejectSummary(id) };
  }

  @Get('imports/:id/rejects')
  @Roles(Role.Registrar, Role.Supervisor, Role.System)
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'the reject report (CSV, UTF-8, `;`): line;legacy_id;field;code;message, in line order' })
  @ApiNotFoundResponse({ description: 'IMPORT_JOB_NOT_FOUND' })
  async rejects(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const rows = this.migration.rejects(principal, id);
    const first = await rows.next();
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="rejects-${id}.csv"`);
    res.write('line;legacy_id;field;code;message\n');
    for (let r = first; !r.done; r = await rows.next()) {
      const x = r.value;
      if (!res.write(`${[x.line, x.legacyId, x.field, x.code, x.message].map(csv).join(';')}\n`))
        await new Promise((ok) => res.once('drain', ok));
    }
    res.end();
  }

  @Post('imports/:id/approve')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({
    type: ImportJobDto,
    description: 'approved by a second person: the job (accounts, assignments) is applied in the background',
  })
  @ApiConflictResponse({ description: 'IMPORT_NOT_AWAITING_APPROVAL' })
  @ApiForbiddenResponse({ description: 'IMPORT_SAME_PERSON (the creator cannot approve), IMPORT_FORBIDDEN' })
  async approve(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ImportJobDto> {
    const job = await this.migration.approve(principal, id);
    this.runner.start(job.id, null);
    return job;
  }

  @Get('legacy-ids/:sourceSystem/:entity/:legacyId')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.System)
  @ApiOkResponse({
    type: LegacyIdDto,
    description: 'the register id of a source system’s legacy id (switch-over lookup); a person’s lookup is audited',
  })
  @ApiNotFoundResponse({ description: 'LEGACY_ID_NOT_FOUND (also outside your territory)' })
  lookup(@CurrentPrincipal() principal: Principal, @Param() p: LegacyIdParamsDto): Promise<LegacyIdDto> {
    return this.migration.lookup(principal, p.sourceSystem, p.entity, p.legacyId);
  }
}
