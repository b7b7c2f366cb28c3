import { Role } from '@eisss/contracts';
import {
  CurrentPrincipal,
  DualControlRequestDto,
  Roles,
  pageOf,
  pageResult,
  type DualControlRequest,
  type Principal,
  type ProposedAccount,
} from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Payee, PaymentDetails } from '../person-projection/person-projection.repository';
import type { AssignmentRecord, AssignmentVersionRecord } from './assignments.repository';
import { AssignmentsService } from './assignments.service';
import {
  AssignmentActionDto,
  AssignmentDto,
  AssignmentListQueryDto,
  AssignmentPageDto,
  ChangeRecipientDto,
  MaskedPayeeDto,
  MaskedPaymentDto,
  RecalculateDto,
} from './dto/assignment.dto';

/** An account as views show it: the masked IBAN it travels with (the sealed IBAN and its reference stay out of views). */
export function maskedPayment(p: PaymentDetails | ProposedAccount | null): MaskedPaymentDto | null {
  if (!p) return null;
  return p.method === 'bank' ? { method: 'bank', ibanMasked: p.ibanMasked } : { method: 'post', postcode: p.postcode };
}

/** The holder as views show them: the masked identifiers they travel with. */
function maskedPayee(p: Payee | null): MaskedPayeeDto | null {
  if (!p) return null;
  return { fullName: p.fullName, rnokppMasked: p.rnokppMasked, documentNumberMasked: p.documentNumberMasked };
}

const TWO_PERSON =
  'Needs a second person: answers 202 with the approval request; another officer or supervisor of the territory approves it with POST /approvals/{id}/approve (403 SECOND_PERSON_REQUIRED for the one who asked), which carries it out.';

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
    payee: maskedPayee(a.payment ? a.payee : null),
    explanation: a.explanation,
    ...(a.origin ? { origin: a.origin } : {}),
    ...(versions ? { versions } : {}),
  };
}

@ApiTags('assignments')
@ApiBearerAuth()
@ApiExtraModels(DualControlRequestDto)
@Controller('assignments')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Get()
  @Roles(Role.Officer, Role.Supervisor, Role.Citizen)
  @ApiOperation({ summary: "Assignments in the caller's territory (a citizen: their own), filtered and paginated" })
  @ApiOkResponse({ type: AssignmentPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: AssignmentListQueryDto): Promise<AssignmentPageDto> {
    const page = pageOf(q);
    const found = await this.assignments.list(principal, {
      personId: q.personId,
      programmeCode: q.programmeCode,
      status: q.status,
      ...page,
    });
    return pageResult(page, { items: found.items.map((a) => toAssignmentDto(a)), total: found.total });
  }

  @Get(':id')
  @Roles(Role.Officer, Role.Supervisor, Role.Citizen)
  @ApiOperation({ summary: 'One assignment with its months, explanation tree and version history' })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiNotFoundResponse({ description: 'ASSIGNMENT_NOT_FOUND' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AssignmentDto> {
    const { assignment, versions } = await this.assignments.get(principal, id);
    return toAssignmentDto(assignment, versions);
  }

  @Post(':id/suspend')
  @HttpCode(202)
  @Roles(Role.Officer, Role.Supervisor)
  @ApiOperation({ summary: 'Ask to suspend payment from a month (AssignmentSuspendedV2 once approved)', description: TWO_PERSON })
  @ApiAcceptedResponse({ type: DualControlRequestDto, description: 'the request waiting for a second person (action assignment.suspend)' })
  @ApiConflictResponse({ description: 'ASSIGNMENT_NOT_ACTIVE, DUAL_CONTROL_ALREADY_PENDING' })
  async suspend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AssignmentActionDto,
  ): Promise<DualControlRequest> {
    return this.assignments.suspend(principal, id, body.month, { code: body.reasonCode, text: body.reasonText });
  }

  @Post(':id/resume')
  @HttpCode(202)
  @Roles(Role.Officer, Role.Supervisor)
  @ApiOperation({
    summary: 'Ask to resume a suspended assignment from a month (AssignmentResumedV2 once approved)',
    description: TWO_PERSON,
  })
  @ApiAcceptedResponse({ type: DualControlRequestDto, description: 'the request waiting for a second person (action assignment.resume)' })
  @ApiConflictResponse({ description: 'ASSIGNMENT_NOT_SUSPENDED, DUAL_CONTROL_ALREADY_PENDING' })
  async resume(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AssignmentActionDto,
  ): Promise<DualControlRequest> {
    return this.assignments.resume(principal, id, body.month, { code: body.reasonCode, text: body.reasonText });
  }

  @Post(':id/terminate')
  @HttpCode(202)
  @Roles(Role.Officer, Role.Supervisor)
  @ApiOperation({
    summary: 'Ask to terminate from a month (AssignmentTerminatedV2 with the removed months as differences, once approved)',
    description: TWO_PERSON,
  })
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description: 'the request waiting for a second person (action assignment.terminate)',
  })
  @ApiConflictResponse({ description: 'ASSIGNMENT_TERMINATED, DUAL_CONTROL_ALREADY_PENDING' })
  async terminate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AssignmentActionDto,
  ): Promise<DualControlRequest> {
    return this.assignments.terminate(principal, id, body.month, { code: body.reasonCode, text: body.reasonText });
  }

  @Post(':id/recipient')
  @HttpCode(202)
  @Roles(Role.Officer, Role.Supervisor)
  @ApiOperation({
    summary:
      'Ask to change the recipient (birth assistance: the remaining months continue with the other parent or a guardian): AssignmentChangedV2 with reason RECIPIENT_CHANGED once approved',
    description:
      "Changes who is paid: answers 202 with the approval request (action assignment.change-recipient); a supervisor (not the one who asked) approves it with POST /approvals/{id}/approve. The new version carries the new recipient's approved account and holder from the register (none: nothing is paid until one is approved) and the same remaining months. An assignment terminated by the recipient's death continues from the month after it.",
  })
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description: 'the request waiting for a supervisor (action assignment.change-recipient)',
  })
  @ApiNotFoundResponse({ description: 'ASSIGNMENT_NOT_FOUND' })
  @ApiConflictResponse({ description: "ASSIGNMENT_TERMINATED (not by the recipient's death), DUAL_CONTROL_ALREADY_PENDING" })
  @ApiUnprocessableEntityResponse({
    description:
      'RECIPIENT_UNKNOWN, RECIPIENT_DECEASED, RECIPIENT_UNCHANGED, RECIPIENT_IS_CHILD (field newRecipientPersonId), RECIPIENT_CHANGE_NOT_AVAILABLE (not birth assistance)',
  })
  async changeRecipient(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangeRecipientDto,
  ): Promise<DualControlRequest> {
    return this.assignments.changeRecipient(principal, id, {
      newRecipientPersonId: body.newRecipientPersonId,
      reason: body.reason,
      evidenceRef: body.evidenceRef,
    });
  }

  @Post(':id/extend')
  @HttpCode(200)
  @Roles(Role.Officer, Role.Supervisor, Role.System)
  @ApiOperation({
    summary: 'Extend for a further term where the rules allow it (IDP: six months for vulnerable families): AssignmentChangedV2',
    description: `The system extends at once (200). A person's extension changes what is paid: ${TWO_PERSON}`,
  })
  @ApiOkResponse({ type: AssignmentDto, description: 'extended by the system' })
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description: 'a person asked: the request waiting for a second person (action assignment.extend)',
  })
  @ApiUnprocessableEntityResponse({ description: 'EXTENSION_NOT_ELIGIBLE (details.explanation), EXTENSION_NOT_AVAILABLE' })
  async extend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssignmentDto | DualControlRequest> {
    const out = await this.assignments.extend(principal, id);
    if (out.requested) {
      res.status(202);
      return out.requested;
    }
    return toAssignmentDto(out.done);
  }

  @Post(':id/recalculate')
  @HttpCode(200)
  @Roles(Role.Officer, Role.Supervisor, Role.System)
  @ApiOperation({
    summary: 'Recalculate with the current parameters (e.g. a parameter change): AssignmentChangedV2 when months differ',
    description: `The system recalculates at once; so is a person's recalculation that changes nothing (200). One by a person that changes what is paid: ${TWO_PERSON}`,
  })
  @ApiOkResponse({ type: AssignmentDto, description: 'recalculated (or nothing to change)' })
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description: 'the request waiting for a second person (action assignment.recalculate)',
  })
  @ApiForbiddenResponse({ description: 'TERRITORY_FORBIDDEN' })
  async recalculate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RecalculateDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssignmentDto | DualControlRequest> {
    const out = await this.assignments.recalculate(principal, id, { code: body.reasonCode, text: body.reasonText });
    if (out.requested) {
      res.status(202);
      return out.requested;
    }
    return toAssignmentDto(out.done.assignment);
  }
}
