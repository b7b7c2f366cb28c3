import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, pageOf, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  DecideFindingDto,
  ExportFindingsQueryDto,
  FindingDto,
  FindingPageDto,
  FindingsExportDto,
  ListFindingsQueryDto,
} from './dto/finding.dto';
import { FindingsService } from './findings.service';

export const FindingRoles = { VERIFIER: Role.Verifier, SUPERVISOR: Role.Supervisor } as const;

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class FindingsController {
  constructor(private readonly findings: FindingsService) {}

  @Get()
  @Roles(FindingRoles.VERIFIER, FindingRoles.SUPERVISOR)
  @ApiOperation({ summary: 'The review queue: findings in your territory, filtered and paginated (e.g. ?status=open&katottg=UA80)' })
  @ApiOkResponse({ type: FindingPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: ListFindingsQueryDto): Promise<FindingPageDto> {
    const { limit: _limit, offset: _offset, total: _total, ...filter } = q;

    return this.findings.list(principal, filter, pageOf(q));
  }

  @Get('export')
  @Roles(FindingRoles.VERIFIER, FindingRoles.SUPERVISOR)
  @ApiOperation({ summary: 'Export of confirmed (accepted) misuse cases with evidence, for law enforcement' })
  @ApiOkResponse({ type: FindingsExportDto })
  async export(@CurrentPrincipal() principal: Principal, @Query() q: ExportFindingsQueryDto): Promise<FindingsExportDto> {
    return this.findings.export(principal, q.katottg);
  }

  @Get(':id')
  @Roles(FindingRoles.VERIFIER, FindingRoles.SUPERVISOR)
  @ApiOperation({ summary: 'One finding with its evidence' })
  @ApiOkResponse({ type: FindingDto })
  @ApiNotFoundResponse({ description: 'FINDING_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'TERRITORY_FORBIDDEN' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<FindingDto> {
    return this.findings.get(principal, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles(FindingRoles.VERIFIER)
  @ApiOperation({ summary: 'Confirm an open finding (with a reason); audited' })
  @ApiOkResponse({ type: FindingDto })
  @ApiNotFoundResponse({ description: 'FINDING_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'TERRITORY_FORBIDDEN' })
  @ApiConflictResponse({ description: 'FINDING_ALREADY_DECIDED: the finding was rejected or actioned' })
  async accept(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DecideFindingDto,
  ): Promise<FindingDto> {
    return this.findings.decide(principal, id, 'accepted', body.reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles(FindingRoles.VERIFIER)
  @ApiOperation({ summary: 'Reject an open finding (with a reason); audited' })
  @ApiOkResponse({ type: FindingDto })
  @ApiNotFoundResponse({ description: 'FINDING_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'TERRITORY_FORBIDDEN' })
  @ApiConflictResponse({ description: 'FINDING_ALREADY_DECIDED: the finding was accepted or actioned' })
  async reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DecideFindingDto,
  ): Promise<FindingDto> {
    return this.findings.decide(principal, id, 'rejected', body.reason);
  }
}
