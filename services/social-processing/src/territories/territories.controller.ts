import { Role } from '@eisss/contracts';
import {
  CurrentPrincipal,
  DualControlRequestDto,
  Roles,
  pageOf,
  pageResult,
  type DualControlRequest,
  type Principal,
} from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  TerritoryImportDto,
  TerritoryImportListQueryDto,
  TerritoryImportPageDto,
  TerritoryQueryDto,
  TerritoryStatusDto,
} from './dto/territory.dto';
import { TerritoriesService } from './territories.service';

@ApiTags('territories')
@ApiBearerAuth()
@ApiExtraModels(DualControlRequestDto)
@Controller('territories')
export class TerritoriesController {
  constructor(private readonly territories: TerritoriesService) {}

  @Post('imports')
  @HttpCode(202)
  @Roles(Role.Supervisor)
  @ApiOperation({
    summary: "Import a version of the official list of territories of hostilities or occupation (the ministry's file as CSV, or JSON rows)",
    description:
      'Every row is validated before anything is written. It changes who is paid: of national scope (territory UA), a second national supervisor approves it with POST /approvals/{id}/approve (action territories.import), which writes the list version (each row supersedes the current row of its code and kind; history kept) and recalculates the open IDP assignments whose community of origin it covers.',
  })
  @ApiAcceptedResponse({ type: DualControlRequestDto, description: 'the request waiting for a second person (action territories.import)' })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED, TERRITORY_IMPORT_EMPTY, TERRITORY_IMPORT_FORMAT, TERRITORY_ROW_INVALID, TERRITORY_ROW_DUPLICATE, TERRITORY_KATOTTG_INVALID (field names the row and column)',
  })
  @ApiForbiddenResponse({ description: 'DUAL_CONTROL_ROLE_REQUIRED, NATIONAL_SCOPE_REQUIRED' })
  @ApiConflictResponse({ description: 'DUAL_CONTROL_ALREADY_PENDING (one import waits at a time)' })
  async import(@CurrentPrincipal() principal: Principal, @Body() body: TerritoryImportDto): Promise<DualControlRequest> {
    return this.territories.requestImport(principal, body);
  }

  @Get('imports')
  @Roles(Role.Officer, Role.Supervisor)
  @ApiOperation({ summary: 'The list versions imported, newest first (source order, who asked and approved, what was recalculated)' })
  @ApiOkResponse({ type: TerritoryImportPageDto })
  async imports(@Query() q: TerritoryImportListQueryDto): Promise<TerritoryImportPageDto> {
    const page = pageOf(q);
    return pageResult(page, await this.territories.imports(page));
  }

  @Get()
  @Roles(Role.Officer, Role.Supervisor, Role.System)
  @ApiOperation({
    summary:
      'The status of a community on a date under the list in force: listed, ended, not yet included or not listed, with the deciding row and its source, the rows covering it (a higher unit covers its children) and their history',
  })
  @ApiOkResponse({ type: TerritoryStatusDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (katottg, on)' })
  async status(@Query() q: TerritoryQueryDto): Promise<TerritoryStatusDto> {
    return this.territories.status(q.katottg, q.on);
  }
}
