import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CorrectStatusDto,
  EndStatusDto,
  GrantStatusDto,
  PersonStatusesDto,
  StatusDto,
  StatusQueryDto,
  StatusWithHistoryDto,
} from './status.dto';
import { StatusService } from './status.service';

@ApiTags('statuses')
@ApiBearerAuth()
@Controller()
export class StatusController {
  constructor(private readonly statuses: StatusService) {}

  @Post('persons/:personId/statuses')
  @Roles(Role.Registrar, Role.Officer)
  @ApiCreatedResponse({ type: StatusDto })
  @ApiConflictResponse({ description: 'STATUS_OVERLAP' })
  grant(
    @CurrentPrincipal() p: Principal,
    @Param('personId', ParseUUIDPipe) personId: string,
    @Body() body: GrantStatusDto,
  ): Promise<StatusDto> {
    return this.statuses.grant(p, personId, body);
  }

  @Get('persons/:personId/statuses')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.Citizen, Role.CaseWorker, Role.CaseManager, Role.System)
  @ApiOkResponse({ type: PersonStatusesDto })
  list(
    @CurrentPrincipal() p: Principal,
    @Param('personId', ParseUUIDPipe) personId: string,
    @Query() q: StatusQueryDto,
  ): Promise<PersonStatusesDto> {
    return this.statuses.ofPerson(p, personId, q.type, q.activeOn, q.history ?? false);
  }

  @Get('statuses/:id')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.Citizen, Role.CaseWorker, Role.CaseManager, Role.System)
  @ApiOkResponse({ type: StatusWithHistoryDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<StatusWithHistoryDto> {
    return this.statuses.get(p, id);
  }

  @Post('statuses/:id/end')
  @HttpCode(200)
  @Roles(Role.Registrar, Role.Officer)
  @ApiOkResponse({ type: StatusDto })
  end(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: EndStatusDto): Promise<StatusDto> {
    return this.statuses.end(p, id, body.validTo, body.reason, body.source);
  }

  @Post('statuses/:id/correct')
  @HttpCode(200)
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor)
  @ApiOkResponse({ type: StatusDto })
  correct(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CorrectStatusDto): Promise<StatusDto> {
    return this.statuses.correct(p, id, body);
  }
}
