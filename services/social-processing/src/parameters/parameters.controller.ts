import { Role } from '@eisss/contracts';
import { CurrentPrincipal, DualControlRequestDto, Roles, pageOf, type DualControlRequest, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AddParameterDto, ParameterPageDto, ParameterQueryDto } from './dto/parameter.dto';
import { ParametersService } from './parameters.service';

@ApiTags('parameters')
@ApiBearerAuth()
@Controller('parameters')
export class ParametersController {
  constructor(private readonly parameters: ParametersService) {}

  @Post()
  @HttpCode(202)
  @Roles(Role.Supervisor)
  @ApiOperation({
    summary: 'Ask to add a parameter row (a value with its effective date and legal source)',
    description:
      "Of national scope (a supervisor with territory UA) and under the two-person rule: answers 202 with the approval request (action parameter.add). Another national supervisor approves it with POST /approvals/{id}/approve, which inserts the row, refreshes the rules' parameters and recalculates every open assignment (a new version with the per-month differences where a month changes), in one transaction. A row is never updated or deleted: a correction is a new row (for the same key and date the later row wins).",
  })
  @ApiAcceptedResponse({ type: DualControlRequestDto, description: 'the request waiting for a second national supervisor' })
  @ApiForbiddenResponse({ description: 'NATIONAL_SCOPE_REQUIRED (a regional supervisor), ROLE_FORBIDDEN' })
  @ApiConflictResponse({ description: 'DUAL_CONTROL_ALREADY_PENDING (a request for the same key and date waits)' })
  @ApiUnprocessableEntityResponse({ description: 'PARAMETER_KEY_UNKNOWN' })
  async add(@CurrentPrincipal() principal: Principal, @Body() body: AddParameterDto): Promise<DualControlRequest> {
    return this.parameters.request(principal, body);
  }

  @Get()
  @Roles(Role.Officer, Role.Supervisor, Role.System)
  @ApiOperation({ summary: 'Parameter rows with their history (all keys, or one), each marked whether it is in force on `on`' })
  @ApiOkResponse({ type: ParameterPageDto })
  async list(@Query() q: ParameterQueryDto): Promise<ParameterPageDto> {
    return this.parameters.list({ key: q.key, on: q.on, ...pageOf(q) });
  }
}
