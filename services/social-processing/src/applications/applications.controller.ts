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
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
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
import { maskedPayment } from '../assignments/assignments.controller';
import type { ApplicationRecord, DecisionRecord } from './applications.repository';
import { ApplicationsService } from './applications.service';
import {
  ApplicationDto,
  ApplicationListQueryDto,
  ApplicationPageDto,
  ApprovalDto,
  DeadlinePageDto,
  DeadlineQueryDto,
  NoticeDto,
  ProgrammeDto,
  ProgrammeRecalculationDto,
  ProgrammeRecalculationResultDto,
  ProgrammeSettingsDto,
  ProposalDto,
  SubmitApplicationDto,
} from './dto/application.dto';

export function toApplicationDto(a: ApplicationRecord, decisions: DecisionRecord[]): ApplicationDto {
  return {
    id: a.id,
    clientRequestId: a.clientRequestId,
    channel: a.channel,
    applicantPersonId: a.applicantPersonId,
    katottg: a.katottg,
    programmeCodes: a.programmeCodes,
    status: a.status,
    submittedOn: a.submittedOn,
    decisionDueOn: a.decisionDueOn,
    decidedOn: a.decidedOn,
    history: a.history,
    proposedPayment: maskedPayment(a.payment),
    decisions: decisions.map((d) => ({
      programmeCode: d.programmeCode,
      status: d.status,
      reasons: d.reasons,
      ruleSetVersion: d.evaluation?.ruleSetVersion ?? null,
      explanation: d.evaluation?.explanation ?? null,
      months: d.evaluation?.months ?? null,
      verification: d.verification,
      proposal: d.proposal,
      decidedBy: d.decidedBy,
      approvedBy: d.approvedBy,
      decidedOn: d.decidedOn,
      assignmentId: d.assignmentId,
    })),
  };
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @Roles(Role.Officer, Role.Citizen, Role.System)
  @ApiOperation({
    summary: 'Submit an application (idempotent by clientRequestId: a retry returns the same application with 200)',
    description:
      "`payment` is optional and only a proposal: the IBAN is sealed for the register at once and sent to it (ApplicationPaymentAccountProposedV2), which opens a change request for a second person unless it already holds that account; processing keeps only the masked and sealed form; assignments carry only the register's approved account.",
  })
  @ApiCreatedResponse({ type: ApplicationDto })
  @ApiOkResponse({ type: ApplicationDto, description: 'a retry of an application already submitted' })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED (with the field: household, payment.iban, …), PAYMENT_DETAILS_INVALID, RECEIVED_ON_IN_FUTURE',
  })
  @ApiUnprocessableEntityResponse({
    description: 'PERSON_UNKNOWN, PROGRAMME_UNKNOWN, CONSENT_REQUIRED, APPLICANT_DECEASED, RNOKPP_MISMATCH',
  })
  @ApiConflictResponse({ description: 'BENEFIT_ALREADY_ASSIGNED, IDEMPOTENCY_KEY_REUSED' })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SubmitApplicationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ApplicationDto> {
    const out = await this.applications.submit(principal, body);
    res.status(out.created ? 201 : 200);
    if (out.created) return toApplicationDto(out.application, out.decisions);
    const { decisions } = await this.applications.get(principal, out.application.id);
    return toApplicationDto(out.application, decisions);
  }

  @Get()
  @Roles(Role.Officer, Role.Supervisor, Role.Citizen)
  @ApiOperation({ summary: "Applications in the caller's territory (a citizen: their own), filtered and paginated" })
  @ApiOkResponse({ type: ApplicationPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: ApplicationListQueryDto): Promise<ApplicationPageDto> {
    const page = pageOf(q);
    const found = await this.applications.list(principal, {
      status: q.status,
      applicantPersonId: q.applicantPersonId,
      katottg: q.katottg,
      ...page,
    });
    return pageResult(page, { items: found.items.map((x) => toApplicationDto(x.application, x.decisions)), total: found.total });
  }

  @Get('deadlines')
  @Roles(Role.Officer, Role.Supervisor)
  @ApiOperation({ summary: 'Undecided applications at risk (due within N working days) or overdue, per office (КАТОТТГ prefix)' })
  @ApiOkResponse({ type: DeadlinePageDto })
  async deadlines(@CurrentPrincipal() principal: Principal, @Query() q: DeadlineQueryDto): Promise<DeadlinePageDto> {
    const page = pageOf(q);
    return pageResult(
      page,
      await this.applications.deadlines(principal, { asOf: q.asOf, withinWorkingDays: q.withinWorkingDays, katottg: q.katottg, ...page }),
    );
  }

  @Get(':id')
  @Roles(Role.Officer, Role.Supervisor, Role.Citizen)
  @ApiOperation({ summary: 'One application with status, decisions, reasons and the explanation tree' })
  @ApiOkResponse({ type: ApplicationDto })
  @ApiNotFoundResponse({ description: 'APPLICATION_NOT_FOUND' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ApplicationDto> {
    const { application, decisions } = await this.applications.get(principal, id);
    return toApplicationDto(application, decisions);
  }

  @Get(':id/notice')
  @Roles(Role.Officer, Role.Supervisor, Role.Citizen)
  @ApiOperation({ summary: 'The notice of award or refusal: amount, term, reasons and the explanation rule by rule' })
  @ApiOkResponse({ type: NoticeDto })
  @ApiNotFoundResponse({ description: 'APPLICATION_NOT_FOUND' })
  async notice(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NoticeDto> {
    return this.applications.notice(principal, id);
  }

  @Post(':id/decisions/:programmeCode/proposal')
  @HttpCode(200)
  @Roles(Role.Officer)
  @ApiOperation({
    summary:
      'An officer proposes a grant or a refusal; a supervisor other than the officer approves it (a manual decision always needs the second person)',
  })
  @ApiOkResponse({ type: ApplicationDto })
  @ApiConflictResponse({ description: 'DECISION_NOT_AWAITING_OFFICER' })
  @ApiUnprocessableEntityResponse({ description: 'RULES_DO_NOT_GRANT' })
  async propose(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('programmeCode') code: string,
    @Body() body: ProposalDto,
  ): Promise<ApplicationDto> {
    await this.applications.propose(principal, id, code, body.outcome, body.reasons);
    const { application, decisions } = await this.applications.get(principal, id);
    return toApplicationDto(application, decisions);
  }

  @Post(':id/decisions/:programmeCode/approval')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOperation({ summary: "A supervisor approves or returns an officer's proposal (maker-checker; not the same person)" })
  @ApiOkResponse({ type: ApplicationDto })
  @ApiForbiddenResponse({ description: 'MAKER_CHECKER_SAME_PERSON' })
  @ApiConflictResponse({ description: 'DECISION_NOT_AWAITING_APPROVAL' })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('programmeCode') code: string,
    @Body() body: ApprovalDto,
  ): Promise<ApplicationDto> {
    await this.applications.approve(principal, id, code, body.approve, body.comment);
    const { application, decisions } = await this.applications.get(principal, id);
    return toApplicationDto(application, decisions);
  }
}

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('programmes')
export class ProgrammesController {
  constructor(private readonly applications: ApplicationsService) {}

  @Get()
  @Roles(Role.Officer, Role.Supervisor, Role.Citizen, Role.System)
  @ApiOperation({ summary: 'Programmes with their rule-set versions, rules (legal references), source notes and settings' })
  @ApiOkResponse({ type: [ProgrammeDto] })
  async list(): Promise<ProgrammeDto[]> {
    return this.applications.programmes();
  }

  @Post(':code/recalculation')
  @HttpCode(200)
  @Roles(Role.Supervisor, Role.System)
  @ApiOperation({
    summary: "Recalculate every open assignment of the programme in the caller's territory (after a parameter change)",
    description:
      "The system recalculates at once; so is a supervisor's recalculation that changes nothing (200). One by a supervisor that changes what is paid answers 202 with the approval request (action programme.recalculation); another supervisor of the territory approves it with POST /approvals/{id}/approve.",
  })
  @ApiOkResponse({ type: ProgrammeRecalculationResultDto })
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description: 'waiting for a second supervisor; payload.expected says what it would change',
  })
  @ApiNotFoundResponse({ description: 'PROGRAMME_UNKNOWN' })
  async recalculate(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Body() body: ProgrammeRecalculationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProgrammeRecalculationResultDto | DualControlRequest> {
    const out = await this.applications.recalculateProgramme(principal, code, { code: body.reasonCode, text: body.reasonText });
    if (out.requested) {
      res.status(202);
      return out.requested;
    }
    return out.done;
  }

  @Put(':code/settings')
  @HttpCode(202)
  @Roles(Role.Supervisor)
  @ApiOperation({
    summary: "Ask to set whether decisions of a programme need an officer's proposal and a supervisor's approval (maker-checker)",
    description:
      'Of national scope (territory UA) and under the two-person rule: answers 202 with the approval request (action programme.settings); another national supervisor applies it with POST /approvals/{id}/approve (audited). Nothing changes until then.',
  })
  @ApiAcceptedResponse({ type: DualControlRequestDto, description: 'the request waiting for a second national supervisor' })
  @ApiForbiddenResponse({ description: 'NATIONAL_SCOPE_REQUIRED (a regional supervisor)' })
  @ApiNotFoundResponse({ description: 'PROGRAMME_UNKNOWN' })
  @ApiConflictResponse({ description: 'DUAL_CONTROL_ALREADY_PENDING' })
  async settings(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Body() body: ProgrammeSettingsDto,
  ): Promise<DualControlRequest> {
    return this.applications.requestSettings(principal, code, body.requiresApproval, body.reason.trim());
  }
}
