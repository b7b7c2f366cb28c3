import { Role } from '@eisss/contracts';
import { Clock, CurrentPrincipal, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppealRecord } from './appeals.repository';
import { AppealsService } from './appeals.service';
import { AppealDto, AppealListQueryDto, AppealPageDto, FileAppealDto, OverdueQueryDto, ReviewAppealDto } from './dto/appeal.dto';

function toDto(a: AppealRecord, today: string): AppealDto {
  const { requestFingerprint: _f, ...rest } = a;
  return { ...rest, overdue: a.status === 'open' && a.dueOn < today };
}

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class AppealsController {
  constructor(
    private readonly appeals: AppealsService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles(Role.Citizen, Role.Officer, Role.Supervisor)
  @ApiOperation({
    summary:
      'Appeal a benefit decision: a refusal, the amount granted, a stop or a recalculation (idempotent by clientRequestId: a retry returns the same appeal with 200)',
    description:
      "By the person (a citizen token whose personId is the applicant or recipient, channel diia), or by staff of the territory for the person or their representative (channel cnap or office). Give applicationId (its decision on programmeCode) or assignmentId (+ version, default the current one). Due in 30 calendar days, moved to the next working day (Закон «Про адміністративну процедуру», ст. 84). The appeal shows in the application's notice and the explanation.",
  })
  @ApiCreatedResponse({ type: AppealDto })
  @ApiOkResponse({ type: AppealDto, description: 'a retry of an appeal already filed' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, APPEAL_TARGET_REQUIRED, APPEAL_CHANNEL_NOT_ALLOWED' })
  @ApiForbiddenResponse({ description: 'APPEAL_NOT_YOUR_DECISION (another citizen), TERRITORY_FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'APPEAL_DECISION_NOT_FOUND' })
  @ApiConflictResponse({ description: 'APPEAL_ALREADY_OPEN, APPEAL_DECISION_NOT_FINAL, IDEMPOTENCY_KEY_REUSED' })
  @ApiUnprocessableEntityResponse({ description: 'APPEAL_PROGRAMME_MISMATCH, APPEAL_NOT_A_BENEFIT_DECISION' })
  async file(
    @CurrentPrincipal() principal: Principal,
    @Body() body: FileAppealDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppealDto> {
    const { appeal, created } = await this.appeals.file(principal, body);
    res.status(created ? 201 : 200);
    return toDto(appeal, this.appeals.today());
  }

  @Get()
  @Roles(Role.Citizen, Role.Officer, Role.Supervisor)
  @ApiOperation({ summary: "Appeals in the caller's territory (a citizen: their own), filtered and paginated" })
  @ApiOkResponse({ type: AppealPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: AppealListQueryDto): Promise<AppealPageDto> {
    const page = pageOf(q);
    const out = await this.appeals.list(principal, {
      status: q.status,
      applicationId: q.applicationId,
      assignmentId: q.assignmentId,
      personId: q.personId,
      ...page,
    });
    const today = this.appeals.today();
    return pageResult(page, { items: out.items.map((a) => toDto(a, today)), total: out.total });
  }

  @Get('overdue')
  @Roles(Role.Officer, Role.Supervisor)
  @ApiOperation({ summary: "Open appeals past their due date (on asOf, default today), in the caller's territory, earliest due first" })
  @ApiOkResponse({ type: AppealPageDto })
  async overdue(@CurrentPrincipal() principal: Principal, @Query() q: OverdueQueryDto): Promise<AppealPageDto> {
    const page = pageOf(q);
    const out = await this.appeals.overdue(principal, { asOf: q.asOf, ...page });
    return pageResult(page, { items: out.items.map((a) => toDto(a, q.asOf ?? this.clock.today())), total: out.total });
  }

  @Get(':id')
  @Roles(Role.Citizen, Role.Officer, Role.Supervisor)
  @ApiOperation({ summary: 'One appeal with its status, deadline and review' })
  @ApiOkResponse({ type: AppealDto })
  @ApiNotFoundResponse({ description: 'APPEAL_NOT_FOUND' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AppealDto> {
    return toDto(await this.appeals.get(principal, id), this.appeals.today());
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles(Role.Officer, Role.Supervisor)
  @ApiOperation({
    summary: 'Review an appeal: upheld or dismissed, with reasoning',
    description:
      'Not by the person who took or approved the appealed decision (403 APPEAL_REVIEWER_DECIDED) nor by the appellant or who filed it (403 APPEAL_REVIEWER_IS_APPELLANT). Upheld refusal: the rules run again (on corrections, ignoring disregardReasons) and a grant creates the assignment (AssignmentGrantedV2, ApplicationDecidedV1). Upheld amount, stop or recalculation: a new assignment version whose differences carry the arrears (AssignmentChangedV2 / AssignmentResumedV2). The reviewer is the second person: nothing more is asked.',
  })
  @ApiOkResponse({ type: AppealDto })
  @ApiForbiddenResponse({ description: 'APPEAL_REVIEWER_DECIDED, APPEAL_REVIEWER_IS_APPELLANT, TERRITORY_FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'APPEAL_NOT_FOUND' })
  @ApiConflictResponse({ description: 'APPEAL_ALREADY_REVIEWED, APPEAL_DECISION_CHANGED, APPEAL_BENEFIT_ALREADY_ASSIGNED' })
  @ApiUnprocessableEntityResponse({
    description: 'APPEAL_RULES_STILL_REFUSE, APPEAL_REFUSAL_STANDS, APPEAL_NOTHING_TO_CHANGE, APPEAL_CORRECTION_PERSON_UNKNOWN',
  })
  async review(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReviewAppealDto,
  ): Promise<AppealDto> {
    return toDto(await this.appeals.review(principal, id, body), this.appeals.today());
  }
}
