import { Role } from '@eisss/contracts';
import { CurrentPrincipal, PageQueryDto, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { OpenServiceSessionDto, ServiceSessionDto, ServiceSessionPageDto, SetReferenceDto } from './service-session.dto';
import { SERVING_ROLES, ServiceSessionService } from './service-session.service';

@ApiTags('service sessions')
@ApiBearerAuth()
@Controller()
export class ServiceSessionController {
  constructor(private readonly sessions: ServiceSessionService) {}

  @Post('service-sessions')
  @Roles(...SERVING_ROLES)
  @ApiCreatedResponse({
    type: ServiceSessionDto,
    description:
      "opens a session on a person who is present (РНОКПП and a checked document, or a Diia consent), in any office; then send `x-service-session: <id>` to read and act on that person's records. Audited; the person and the home office see it.",
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (field), IDENTIFICATION_INCOMPLETE (field)' })
  @ApiNotFoundResponse({ description: 'PERSON_NOT_IDENTIFIED (identification.rnokpp)' })
  open(@CurrentPrincipal() principal: Principal, @Body() body: OpenServiceSessionDto): Promise<ServiceSessionDto> {
    return this.sessions.open(principal, body);
  }

  @Get('service-sessions/:id')
  @Roles(...SERVING_ROLES)
  @ApiOkResponse({ type: ServiceSessionDto, description: 'for the officer who opened it, or staff who see the person by territory' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ServiceSessionDto> {
    return this.sessions.get(principal, id);
  }

  @Patch('service-sessions/:id')
  @Roles(...SERVING_ROLES)
  @ApiOkResponse({ type: ServiceSessionDto, description: 'names the application, appeal or case the session serves' })
  @ApiForbiddenResponse({ description: 'SERVICE_SESSION_NOT_YOURS' })
  @ApiConflictResponse({ description: 'SERVICE_SESSION_CLOSED' })
  setReference(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SetReferenceDto,
  ): Promise<ServiceSessionDto> {
    return this.sessions.setReference(principal, id, body.reference);
  }

  @Post('service-sessions/:id/close')
  @HttpCode(200)
  @Roles(...SERVING_ROLES)
  @ApiOkResponse({ type: ServiceSessionDto })
  @ApiForbiddenResponse({ description: 'SERVICE_SESSION_NOT_YOURS' })
  @ApiConflictResponse({ description: 'SERVICE_SESSION_CLOSED' })
  close(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ServiceSessionDto> {
    return this.sessions.close(principal, id);
  }

  @Get('persons/:id/service-sessions')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.CaseWorker, Role.CaseManager, Role.Citizen)
  @ApiOkResponse({
    type: ServiceSessionPageDto,
    description: 'the sessions other offices (and this one) held on the person: for the person and the home office',
  })
  async ofPerson(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQueryDto,
  ): Promise<ServiceSessionPageDto> {
    const page = pageOf(q);
    return pageResult(page, await this.sessions.ofPerson(principal, id, page));
  }
}
