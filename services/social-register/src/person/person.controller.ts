import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AccessLogPageDto,
  ChangeRequestDto,
  ChangeRequestPageDto,
  ChangeRequestQueryDto,
  CreateChangeRequestDto,
  DecisionDto,
  DuplicateReviewPageDto,
  DuplicateReviewQueryDto,
  MergePersonDto,
  MergeResultDto,
  PageQueryDto,
  PersonHistoryDto,
  PersonPageDto,
  PersonSearchQueryDto,
  ResolveDuplicateDto,
  ResolveDuplicateResultDto,
} from './dto/person-query.dto';
import { PersonDto, RegisterPersonDto, RegisteredPersonDto } from './dto/register-person.dto';
import type { PersonEntity } from './person.entity';
import { PersonService } from './person.service';

export const PersonRoles = { REGISTRAR: 'registrar', OFFICER: 'officer', SUPERVISOR: 'supervisor', CITIZEN: 'citizen', SYSTEM: 'system' } as const;
const READERS = [PersonRoles.REGISTRAR, PersonRoles.OFFICER, PersonRoles.SUPERVISOR, PersonRoles.CITIZEN, PersonRoles.SYSTEM];

export function toPersonDto(p: PersonEntity): PersonDto {
  return {
    id: p.id,
    rnokpp: p.rnokpp,
    unzr: p.unzr,
    lastName: p.lastName,
    firstName: p.firstName,
    patronymic: p.patronymic,
    birthDate: p.birthDate,
    sex: p.sex,
    deathDate: p.deathDate,
    katottg: p.katottg,
    registeredAddress: p.registeredAddress,
    actualAddress: p.actualAddress,
    actualKatottg: p.actualKatottg,
    phone: p.phone,
    email: p.email,
    iban: p.iban,
    mergedInto: p.mergedInto,
    version: p.version,
  };
}

@ApiTags('persons')
@ApiBearerAuth()
@Controller()
export class PersonController {
  constructor(private readonly persons: PersonService) {}

  @Post('persons')
  @Roles(PersonRoles.REGISTRAR)
  @ApiCreatedResponse({ type: RegisteredPersonDto, description: 'registered; a probable duplicate (same name + birth date) opens a duplicate review' })
  @ApiConflictResponse({ description: 'PERSON_DUPLICATE: same РНОКПП or УНЗР; details.existingPersonId' })
  async register(@CurrentPrincipal() principal: Principal, @Body() body: RegisterPersonDto): Promise<RegisteredPersonDto> {
    const r = await this.persons.register(principal, body);
    return { ...toPersonDto(r.person), duplicateReviewId: r.duplicateReviewId, probableDuplicateIds: r.probableDuplicateIds };
  }

  @Get('persons')
  @Roles(PersonRoles.REGISTRAR, PersonRoles.OFFICER, PersonRoles.SUPERVISOR, PersonRoles.SYSTEM)
  @ApiOkResponse({ type: PersonPageDto, description: 'persons of the caller’s territory; every returned person is written to the audit log' })
  async search(@CurrentPrincipal() principal: Principal, @Query() q: PersonSearchQueryDto): Promise<PersonPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const page = await this.persons.search(principal, { ...q, limit, offset });
    return { items: page.items.map(toPersonDto), total: page.total, limit, offset };
  }

  @Get('persons/:id')
  @Roles(...READERS)
  @ApiOkResponse({ type: PersonDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PersonDto> {
    return toPersonDto(await this.persons.get(principal, id));
  }

  @Get('persons/:id/history')
  @Roles(...READERS)
  @ApiOkResponse({ type: PersonHistoryDto, description: 'who changed what, when, why and from which source; merges and duplicate reviews' })
  history(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PersonHistoryDto> {
    return this.persons.history(principal, id);
  }

  @Get('persons/:id/access-log')
  @Roles(PersonRoles.CITIZEN, PersonRoles.OFFICER, PersonRoles.SUPERVISOR)
  @ApiOkResponse({ type: AccessLogPageDto, description: '"who looked at my data": for the person themselves (personId claim) or an officer' })
  @ApiForbiddenResponse({ description: 'ACCESS_LOG_FORBIDDEN, TERRITORY_FORBIDDEN' })
  async accessLog(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto): Promise<AccessLogPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    return { ...(await this.persons.accessLog(principal, id, limit, offset)), limit, offset };
  }

  @Post('persons/:id/change-requests')
  @Roles(PersonRoles.REGISTRAR, PersonRoles.OFFICER, PersonRoles.CITIZEN)
  @ApiCreatedResponse({ type: ChangeRequestDto, description: 'a pending change; applied only when another user (supervisor) approves it' })
  changeRequest(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateChangeRequestDto): Promise<ChangeRequestDto> {
    return this.persons.requestChange(principal, id, body);
  }

  @Get('change-requests')
  @Roles(PersonRoles.REGISTRAR, PersonRoles.OFFICER, PersonRoles.SUPERVISOR)
  @ApiOkResponse({ type: ChangeRequestPageDto })
  async listChangeRequests(@CurrentPrincipal() principal: Principal, @Query() q: ChangeRequestQueryDto): Promise<ChangeRequestPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    return { ...(await this.persons.listChangeRequests(principal, q.status, q.personId, limit, offset)), limit, offset };
  }

  @Get('change-requests/:id')
  @Roles(PersonRoles.REGISTRAR, PersonRoles.OFFICER, PersonRoles.SUPERVISOR, PersonRoles.CITIZEN)
  @ApiOkResponse({ type: ChangeRequestDto })
  getChangeRequest(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ChangeRequestDto> {
    return this.persons.getChangeRequest(principal, id);
  }

  @Post('change-requests/:id/approve')
  @HttpCode(200)
  @Roles(PersonRoles.SUPERVISOR)
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiForbiddenResponse({ description: 'CHANGE_REQUEST_SELF_APPROVAL' })
  @ApiConflictResponse({ description: 'CHANGE_REQUEST_NOT_PENDING, PERSON_MERGED' })
  async approve(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: DecisionDto): Promise<ChangeRequestDto> {
    return (await this.persons.approveChange(principal, id, body.note ?? null)).request;
  }

  @Post('change-requests/:id/reject')
  @HttpCode(200)
  @Roles(PersonRoles.SUPERVISOR)
  @ApiOkResponse({ type: ChangeRequestDto })
  reject(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: DecisionDto): Promise<ChangeRequestDto> {
    return this.persons.rejectChange(principal, id, body.note ?? null);
  }

  @Get('duplicate-reviews')
  @Roles(PersonRoles.REGISTRAR, PersonRoles.OFFICER, PersonRoles.SUPERVISOR)
  @ApiOkResponse({ type: DuplicateReviewPageDto })
  async listReviews(@CurrentPrincipal() principal: Principal, @Query() q: DuplicateReviewQueryDto): Promise<DuplicateReviewPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    return { ...(await this.persons.listDuplicateReviews(principal, q.status, limit, offset)), limit, offset };
  }

  @Post('duplicate-reviews/:id/resolve')
  @HttpCode(200)
  @Roles(PersonRoles.SUPERVISOR)
  @ApiOkResponse({ type: ResolveDuplicateResultDto })
  resolve(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ResolveDuplicateDto): Promise<ResolveDuplicateResultDto> {
    return this.persons.resolveDuplicateReview(principal, id, body.decision, body.survivorPersonId, body.reason);
  }

  @Post('persons/:id/merge')
  @HttpCode(200)
  @Roles(PersonRoles.SUPERVISOR)
  @ApiOkResponse({ type: MergeResultDto, description: 'merges this record into survivorPersonId; emits person.merged' })
  merge(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: MergePersonDto): Promise<MergeResultDto> {
    return this.persons.merge(principal, id, body.survivorPersonId, body.reason);
  }
}
