import { Role } from '@eisss/contracts';
import { CurrentPrincipal, PageQueryDto, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseEnumPipe, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AppealDto,
  ApprovePlanDto,
  AssessDto,
  AssignDto,
  AttachmentDto,
  CandidateDto,
  CaseDto,
  CasePageDto,
  CloseDto,
  ContractDto,
  DecideDto,
  FormQuery,
  EndPlacementDto,
  ListCasesQuery,
  MonitoringDto,
  NoteDto,
  OpenCaseDto,
  PlacementDto,
  ProvisionDto,
  ReasonDto,
  RerouteDto,
  ReviewAppealDto,
  TeamMemberDto,
} from './dto/case.dto';
import { CaseService } from './case.service';

/** Who may do what. */
export const CaseRoles = {
  READ: [Role.CaseWorker, Role.CaseManager, Role.Officer, Role.Supervisor],
  WORK: [Role.CaseWorker, Role.CaseManager, Role.Officer],
  MANAGE: [Role.CaseManager, Role.Officer],
  REVIEW: [Role.Supervisor, Role.CaseManager],
} as const satisfies Record<string, readonly Role[]>;

const ILLEGAL = { description: 'CASE_ILLEGAL_TRANSITION: the action is not allowed in the current status; details { from, to }' };

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseController {
  constructor(private readonly cases: CaseService) {}

  @Post()
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Open a case on a request, report or identification (idempotent by clientRequestId)' })
  @ApiCreatedResponse({ type: CaseDto })
  async open(@CurrentPrincipal() p: Principal, @Body() body: OpenCaseDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.cases.open(p, body);
    res.status(r.created ? 201 : 200);
    return r.case;
  }

  @Get()
  @Roles(...CaseRoles.READ)
  @ApiOperation({ summary: 'Cases of your territory (filter, paginated; reads are audited)' })
  @ApiOkResponse({ type: CasePageDto })
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListCasesQuery) {
    const page = pageOf(q);
    return pageResult(page, await this.cases.list(p, { ...q, ...page }));
  }

  @Get(':id')
  @Roles(...CaseRoles.READ)
  @ApiOperation({
    summary: 'The case file: case, acts with versions, contracts, notes, attachments, team, monitoring, appeals, journal, placements',
  })
  @ApiOkResponse({ type: CaseDto })
  file(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.cases.file(p, id);
  }

  @Get(':id/forms/:kind')
  @Roles(...CaseRoles.READ)
  @ApiOperation({
    summary: 'Printable form of the assessment act or the individual plan, rendered from the case data (?version= for an earlier version)',
  })
  @ApiOkResponse({ description: 'text/plain form' })
  async form(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('kind', new ParseEnumPipe(['assessment', 'plan'])) kind: 'assessment' | 'plan',
    @Query() q: FormQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const text = await this.cases.actForm(p, id, kind, q.version);
    res.type('text/plain; charset=utf-8');
    return text;
  }

  @Post(':id/assessment')
  @HttpCode(200)
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Sign the needs assessment act, or correct it (new version with correctionReason)' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  assess(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssessDto) {
    return this.cases.assess(p, id, body);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Decide to provide services or refuse' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  decide(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: DecideDto) {
    return this.cases.decide(p, id, body);
  }

  @Post(':id/plan')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({
    summary: 'Approve the individual plan of services (Classifier codes), or correct it (new version with correctionReason)',
  })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  plan(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ApprovePlanDto) {
    return this.cases.approvePlan(p, id, body);
  }

  @Post(':id/contracts')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Record the contract with a provider of the plan (the first one starts provision)' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  contract(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ContractDto) {
    return this.cases.signContract(p, id, body);
  }

  @Post(':id/provisions')
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Record a visit with its real date (idempotent by clientId; 200 on a retry)' })
  @ApiCreatedResponse({ description: 'the provision record' })
  @ApiConflictResponse({ description: 'CASE_NO_CONTRACT, CASE_CLIENT_ID_CONFLICT' })
  async provide(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ProvisionDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.cases.recordProvision(p, id, body);
    res.status(r.created ? 201 : 200);
    return r.provision;
  }

  @Get(':id/provisions')
  @Roles(...CaseRoles.READ)
  @ApiOperation({ summary: 'Visits of the case (paginated)' })
  @ApiOkResponse({ description: '{ items, total, limit, offset }' })
  async provisions(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto) {
    const page = pageOf(q);
    return pageResult(page, await this.cases.provisions(p, id, page.limit, page.offset));
  }

  @Post(':id/monitoring')
  @HttpCode(200)
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Record monitoring or a plan review (a review moves the next review date)' })
  @ApiOkResponse({ type: CaseDto })
  monitor(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: MonitoringDto) {
    return this.cases.monitor(p, id, body);
  }

  @Post(':id/closure')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Close the case with outcome and final evaluation' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  close(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CloseDto) {
    return this.cases.close(p, id, body);
  }

  @Post(':id/assignment')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE, Role.Supervisor)
  @ApiOperation({ summary: 'Assign or reassign the case worker' })
  @ApiOkResponse({ type: CaseDto })
  assign(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssignDto) {
    return this.cases.assign(p, id, body);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Return the case from a wrongly chosen registrar body (keeps everything)' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  returnCase(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto) {
    return this.cases.returnCase(p, id, body);
  }

  @Post(':id/reroute')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Re-route a returned case to another body (КАТОТТГ); it resumes where it was' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  reroute(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RerouteDto) {
    return this.cases.reroute(p, id, body);
  }

  @Post(':id/notes')
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Add a case note' })
  @ApiCreatedResponse({ description: '{ id }' })
  note(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: NoteDto) {
    return this.cases.addNote(p, id, body);
  }

  @Post(':id/attachments')
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Attach a document by reference with its SHA-256 (same checksum twice is one attachment)' })
  @ApiCreatedResponse({ description: '{ id }' })
  attach(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AttachmentDto) {
    return this.cases.addAttachment(p, id, body);
  }

  @Post(':id/team')
  @HttpCode(204)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Add a member of the multidisciplinary team with a role' })
  async team(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: TeamMemberDto): Promise<void> {
    await this.cases.addTeamMember(p, id, body);
  }

  @Post(':id/appeals')
  @Roles(...CaseRoles.READ, Role.Citizen)
  @ApiOperation({ summary: 'Appeal a decision (incl. an automated one) to be reviewed by a person; citizens appeal their own case' })
  @ApiCreatedResponse({ description: '{ id }' })
  appeal(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AppealDto) {
    return this.cases.fileAppeal(p, id, body);
  }

  @Post(':id/placement-candidates')
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Child deprived of parental care: add a guardian / foster / adoptive candidate' })
  @ApiCreatedResponse({ description: '{ id }' })
  candidate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CandidateDto) {
    return this.cases.addCandidate(p, id, body);
  }

  @Post(':id/placements')
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Child deprived of parental care: place the child with a candidate' })
  @ApiCreatedResponse({ description: '{ id }' })
  place(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: PlacementDto) {
    return this.cases.place(p, id, body);
  }

  @Post(':id/placements/end')
  @HttpCode(204)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Child deprived of parental care: end the active placement' })
  async endPlacement(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: EndPlacementDto,
  ): Promise<void> {
    await this.cases.endPlacement(p, id, body);
  }
}

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class AppealController {
  constructor(private readonly cases: CaseService) {}

  @Post(':id/review')
  @HttpCode(200)
  @Roles(...CaseRoles.REVIEW)
  @ApiOperation({ summary: 'A person reviews an appeal (upheld appeal against a refusal reopens the decision)' })
  @ApiOkResponse({ type: CaseDto })
  review(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReviewAppealDto) {
    return this.cases.reviewAppeal(p, id, body);
  }
}
