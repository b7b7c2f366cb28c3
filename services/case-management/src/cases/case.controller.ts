import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AssignDto,
  AttachmentDto,
  CaseDto,
  CasePageDto,
  CloseDto,
  DecideDto,
  ListCasesQuery,
  NoteDto,
  OpenCaseDto,
  ReasonDto,
  RerouteDto,
  TeamMemberDto,
} from './dto/case.dto';
import { CaseService } from './case.service';

/** Who may do what (the other capabilities' controllers use the same roles). */
export const CaseRoles = {
  READ: [Role.CaseWorker, Role.CaseManager, Role.Officer, Role.Supervisor],
  WORK: [Role.CaseWorker, Role.CaseManager, Role.Officer],
  MANAGE: [Role.CaseManager, Role.Officer],
  REVIEW: [Role.Supervisor, Role.CaseManager],
} as const satisfies Record<string, readonly Role[]>;

export const ILLEGAL = { description: 'CASE_ILLEGAL_TRANSITION: the action is not allowed in the current status; details { from, to }' };

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

  @Post(':id/decision')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Decide to provide services or refuse' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  decide(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: DecideDto) {
    return this.cases.decide(p, id, body);
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
}
