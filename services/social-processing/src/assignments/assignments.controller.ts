import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { AssignmentRecord, AssignmentVersionRecord } from './assignments.repository';
import { AssignmentsService } from './assignments.service';
import { AssignmentActionDto, AssignmentDto, AssignmentListQueryDto, AssignmentPageDto, RecalculateDto } from './dto/assignment.dto';

function maskedPayment(p: AssignmentRecord['payment']): Record<string, string> {
  return p.method === 'bank' ? { method: 'bank', ibanMasked: `${p.iban.slice(0, 4)}…${p.iban.slice(-4)}` } : { method: 'post', postcode: p.postcode };
}

export function toAssignmentDto(a: AssignmentRecord, versions?: AssignmentVersionRecord[]): AssignmentDto {
  return {
    id: a.id,
    version: a.version,
    applicationId: a.applicationId,
    programmeCode: a.programmeCode,
    ruleSetVersion: a.ruleSetVersion,
    recipientPersonId: a.recipientPersonId,
    memberPersonIds: a.memberPersonIds,
    katottg: a.katottg,
    periodFrom: a.periodFrom,
    periodTo: a.periodTo,
    status: a.status,
    months: a.months,
    payment: maskedPayment(a.payment),
    explanation: a.explanation,
    ...(versions ? { versions } : {}),
  };
}

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('assignments')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Get()
  @Roles('officer', 'supervisor', 'citizen')
  @ApiOperation({ summary: 'Assignments in the caller\'s territory (a citizen: their own), filtered and paginated' })
  @ApiOkResponse({ type: AssignmentPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: AssignmentListQueryDto): Promise<AssignmentPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const page = await this.assignments.list(principal, { personId: q.personId, programmeCode: q.programmeCode, status: q.status, limit, offset });
    return { items: page.items.map((a) => toAssignmentDto(a)), total: page.total, limit, offset };
  }

  @Get(':id')
  @Roles('officer', 'supervisor', 'citizen')
  @ApiOperation({ summary: 'One assignment with its months, explanation tree and version history' })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiNotFoundResponse({ description: 'ASSIGNMENT_NOT_FOUND' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AssignmentDto> {
    const { assignment, versions } = await this.assignments.get(principal, id);
    return toAssignmentDto(assignment, versions);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Suspend payment from a month (AssignmentSuspendedV1)' })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiConflictResponse({ description: 'ASSIGNMENT_NOT_ACTIVE' })
  async suspend(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssignmentActionDto): Promise<AssignmentDto> {
    return toAssignmentDto(await this.assignments.suspend(principal, id, body.month, { code: body.reasonCode, text: body.reasonText }));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Resume a suspended assignment from a month (AssignmentResumedV1)' })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiConflictResponse({ description: 'ASSIGNMENT_NOT_SUSPENDED' })
  async resume(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssignmentActionDto): Promise<AssignmentDto> {
    return toAssignmentDto(await this.assignments.resume(principal, id, body.month, { code: body.reasonCode, text: body.reasonText }));
  }

  @Post(':id/terminate')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Terminate from a month (AssignmentTerminatedV1 with the removed months as differences)' })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiConflictResponse({ description: 'ASSIGNMENT_TERMINATED' })
  async terminate(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssignmentActionDto): Promise<AssignmentDto> {
    return toAssignmentDto(await this.assignments.terminate(principal, id, body.month, { code: body.reasonCode, text: body.reasonText }));
  }

  @Post(':id/extend')
  @HttpCode(200)
  @Roles('officer', 'supervisor', 'system')
  @ApiOperation({ summary: 'Extend for a further term where the rules allow it (IDP: six months for vulnerable families): AssignmentChangedV1' })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiUnprocessableEntityResponse({ description: 'EXTENSION_NOT_ELIGIBLE (details.explanation), EXTENSION_NOT_AVAILABLE' })
  async extend(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AssignmentDto> {
    return toAssignmentDto(await this.assignments.extend(principal, id));
  }

  @Post(':id/recalculate')
  @HttpCode(200)
  @Roles('officer', 'supervisor', 'system')
  @ApiOperation({ summary: 'Recalculate with the current parameters (e.g. a parameter change): AssignmentChangedV1 when months differ' })
  @ApiOkResponse({ type: AssignmentDto })
  async recalculate(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecalculateDto): Promise<AssignmentDto> {
    return toAssignmentDto((await this.assignments.recalculate(principal, id, { code: body.reasonCode, text: body.reasonText })).assignment);
  }
}
