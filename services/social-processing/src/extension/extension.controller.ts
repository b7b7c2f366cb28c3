import { Role } from '@eisss/contracts';
import { CurrentPrincipal, DualControlRequestDto, Roles, type DualControlRequest, type Principal } from '@eisss/platform';
import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { toAssignmentDto } from '../assignments/assignments.controller';
import { AssignmentDto } from '../assignments/dto/assignment.dto';
import { ExtensionCheckQueryDto, ExtensionCheckResultDto } from './dto/extension.dto';
import { ExtensionService } from './extension.service';

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('assignments')
export class ExtensionController {
  constructor(private readonly extension: ExtensionService) {}

  @Post('extension-check')
  @HttpCode(200)
  @Roles(Role.Officer, Role.Supervisor, Role.System)
  @ApiOperation({
    summary: 'The check within a month after an automatic IDP extension (daily job or on request; each extension checked once)',
    description:
      "For open IDP assignments automatically extended (from 26.08.2025): the income of the 3 months before the extension from the tax service's income facts (one-off and military pay not counted) against 4 × the subsistence minimum for persons unable to work, and the categories; a failed check stops the assignment from the month after the month of the extension (AssignmentTerminatedV2, reason EXTENSION_CHECK_FAILED).",
  })
  @ApiOkResponse({ type: ExtensionCheckResultDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: 'ROLE_FORBIDDEN' })
  @ApiUnprocessableEntityResponse({ description: 'CHECK_DATE_IN_FUTURE' })
  async check(@CurrentPrincipal() principal: Principal, @Query() q: ExtensionCheckQueryDto): Promise<ExtensionCheckResultDto> {
    return this.extension.checkAutomaticExtensions(principal, q.on);
  }

  @Post(':id/extension-with-current-facts')
  @HttpCode(200)
  @Roles(Role.Officer, Role.Supervisor, Role.System)
  @ApiOperation({
    summary:
      'Extend an IDP assignment with the income facts of its last 3 months from the tax service (not the income declared on the application)',
    description:
      "The income of the last 3 months of the term is kept on the assignment, then the extension is decided as POST /assignments/{id}/extend: the system at once (200); a person's extension waits for a second person (202 with the approval request).",
  })
  @ApiOkResponse({ type: AssignmentDto, description: 'extended by the system' })
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description: 'a person asked: the request waiting for a second person (action assignment.extend)',
  })
  @ApiNotFoundResponse({ description: 'ASSIGNMENT_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: 'EXTENSION_NOT_ELIGIBLE (details.explanation), EXTENSION_NOT_AVAILABLE' })
  async extend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssignmentDto | DualControlRequest> {
    const out = await this.extension.extendWithCurrentFacts(principal, id);
    if (out.requested) {
      res.status(202);
      return out.requested;
    }
    return toAssignmentDto(out.done);
  }
}
