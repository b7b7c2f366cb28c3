import { Role } from '@eisss/contracts';
import {
  CurrentPrincipal,
  DualControlRequestDto,
  PageQueryDto,
  Roles,
  pageOf,
  pageResult,
  type DualControlRequest,
  type Principal,
} from '@eisss/platform';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
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
  PersonHistoryDto,
  PersonPageDto,
  PersonSearchQueryDto,
  ResolveDuplicateDto,
  ResolveDuplicateResultDto,
} from './dto/person-query.dto';
import { PersonDto, RegisterPersonDto, RegisteredPersonDto } from './dto/register-person.dto';
import type { PersonEntity } from './person.entity';
import { PersonService } from './person.service';
import { accountOf } from './payment-account';

const READERS = [Role.Registrar, Role.Officer, Role.Supervisor, Role.Citizen, Role.System];

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
    paymentPostcode: p.paymentPostcode,
    paymentAccount: accountOf(p),
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
  @Roles(Role.Registrar)
  @ApiCreatedResponse({
    type: RegisteredPersonDto,
    description:
      'registered; a probable duplicate (same name + birth date) opens a duplicate review; an iban / paymentPostcode given is not set but opens a pending change request (accountChangeRequestId) that a second person approves',
  })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED (field), PERSON_IDENTIFIER_REQUIRED, RNOKPP_BIRTH_DATE_MISMATCH, UNZR_BIRTH_DATE_MISMATCH',
  })
  @ApiConflictResponse({ description: 'PERSON_DUPLICATE: same РНОКПП or УНЗР; details.existingPersonId' })
  async register(@CurrentPrincipal() principal: Principal, @Body() body: RegisterPersonDto): Promise<RegisteredPersonDto> {
    const r = await this.persons.register(principal, body);
    return {
      ...toPersonDto(r.person),
      duplicateReviewId: r.duplicateReviewId,
      probableDuplicateIds: r.probableDuplicateIds,
      accountChangeRequestId: r.accountChangeRequestId,
    };
  }

  @Get('persons')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.System)
  @ApiOkResponse({
    type: PersonPageDto,
    description: 'persons of the caller’s territory; every returned person is written to the audit log',
  })
  async search(@CurrentPrincipal() principal: Principal, @Query() q: PersonSearchQueryDto): Promise<PersonPageDto> {
    const page = pageOf(q);
    const found = await this.persons.search(principal, { ...q, ...page });
    return pageResult(page, { items: found.items.map(toPersonDto), total: found.total });
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
  @Roles(Role.Citizen, Role.Officer, Role.Supervisor)
  @ApiOkResponse({
    type: AccessLogPageDto,
    description: '"who looked at my data": for the person themselves (personId claim) or an officer',
  })
  @ApiForbiddenResponse({ description: 'ACCESS_LOG_FORBIDDEN, TERRITORY_FORBIDDEN' })
  async accessLog(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQueryDto,
  ): Promise<AccessLogPageDto> {
    const page = pageOf(q);
    return pageResult(page, await this.persons.accessLog(principal, id, page));
  }

  @Post('persons/:id/change-requests')
  @Roles(Role.Registrar, Role.Officer, Role.Citizen)
  @ApiCreatedResponse({
    type: ChangeRequestDto,
    description:
      'a pending change; applied only when another user (supervisor) approves it; the payment account (iban, paymentPostcode) changes only this way',
  })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED (field, e.g. changes, changes.lastName), CHANGE_REQUEST_EMPTY, DEATH_BEFORE_BIRTH',
  })
  @ApiNotFoundResponse({ description: 'PERSON_NOT_FOUND' })
  @ApiConflictResponse({ description: 'PERSON_MERGED, CHANGE_REQUEST_CLIENT_ID_TAKEN' })
  changeRequest(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CreateChangeRequestDto,
  ): Promise<ChangeRequestDto> {
    return this.persons.requestChange(principal, id, body);
  }

  @Get('change-requests')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor)
  @ApiOkResponse({ type: ChangeRequestPageDto })
  async listChangeRequests(@CurrentPrincipal() principal: Principal, @Query() q: ChangeRequestQueryDto): Promise<ChangeRequestPageDto> {
    const page = pageOf(q);
    return pageResult(page, await this.persons.listChangeRequests(principal, q.status, q.personId, page));
  }

  @Get('change-requests/:id')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.Citizen)
  @ApiOkResponse({ type: ChangeRequestDto })
  getChangeRequest(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ChangeRequestDto> {
    return this.persons.getChangeRequest(principal, id);
  }

  @Post('change-requests/:id/approve')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({
    type: ChangeRequestDto,
    description: 'applied; emits person.updated and, when the payment account or its holder changes, person.payment-account-changed',
  })
  @ApiForbiddenResponse({ description: 'CHANGE_REQUEST_SELF_APPROVAL (the author, or the person themselves)' })
  @ApiConflictResponse({ description: 'CHANGE_REQUEST_NOT_PENDING, PERSON_MERGED' })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DecisionDto,
  ): Promise<ChangeRequestDto> {
    return (await this.persons.approveChange(principal, id, body.note ?? null)).request;
  }

  @Post('change-requests/:id/reject')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: ChangeRequestDto })
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DecisionDto,
  ): Promise<ChangeRequestDto> {
    return this.persons.rejectChange(principal, id, body.note ?? null);
  }

  @Get('duplicate-reviews')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor)
  @ApiOkResponse({ type: DuplicateReviewPageDto })
  async listReviews(@CurrentPrincipal() principal: Principal, @Query() q: DuplicateReviewQueryDto): Promise<DuplicateReviewPageDto> {
    const page = pageOf(q);
    return pageResult(page, await this.persons.listDuplicateReviews(principal, q.status, page));
  }

  @Post('duplicate-reviews/:id/resolve')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: ResolveDuplicateResultDto, description: 'distinct: the review is closed' })
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description:
      'merge: a request under the two-person rule (action person.merge); another supervisor approves it with POST /approvals/:id/approve, which merges and closes the review',
  })
  @ApiConflictResponse({ description: 'DUPLICATE_REVIEW_CLOSED, PERSON_MERGED, DUAL_CONTROL_ALREADY_PENDING' })
  async resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResolveDuplicateDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ResolveDuplicateResultDto | DualControlRequest> {
    const outcome = await this.persons.resolveDuplicateReview(principal, id, body.decision, body.survivorPersonId, body.reason);
    if (outcome.decision === 'distinct') return outcome.result;
    res.status(HttpStatus.ACCEPTED);
    return outcome.approval;
  }

  @Post('persons/:id/merge')
  @HttpCode(202)
  @Roles(Role.Supervisor)
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description:
      'a request to merge this record into survivorPersonId (action person.merge); another supervisor of the territory approves it (POST /approvals/:id/approve), which merges and emits person.merged; result.mergeId',
  })
  @ApiNotFoundResponse({ description: 'PERSON_NOT_FOUND' })
  @ApiConflictResponse({ description: 'PERSON_MERGED, DUAL_CONTROL_ALREADY_PENDING' })
  merge(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: MergePersonDto,
  ): Promise<DualControlRequest> {
    return this.persons.requestMerge(principal, id, body.survivorPersonId, body.reason);
  }
}
