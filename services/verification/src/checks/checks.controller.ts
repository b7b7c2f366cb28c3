import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Headers, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ChecksService } from './checks.service';
import { CurrentRunQueryDto, CurrentRunResultDto, RetrospectiveCheckDto, RetrospectiveResultDto } from './dto/checks.dto';

const CLIENT_REQUEST_ID = 'x-client-request-id';

@ApiTags('checks')
@ApiBearerAuth()
@Controller('checks')
export class ChecksController {
  constructor(private readonly checks: ChecksService) {}

  @Post('current-run')
  @HttpCode(200)
  @Roles(Role.Verifier, Role.Supervisor, Role.System)
  @ApiOperation({
    summary:
      'Monthly check of all active recipients in your territory; raises FindingRaisedV1 per new finding (a rerun raises nothing new)',
  })
  @ApiHeader({ name: CLIENT_REQUEST_ID, required: false, description: 'a retry with the same id returns the first run' })
  @ApiOkResponse({ type: CurrentRunResultDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (month)' })
  async currentRun(
    @CurrentPrincipal() principal: Principal,
    @Query() q: CurrentRunQueryDto,
    @Headers(CLIENT_REQUEST_ID) clientRequestId?: string,
  ): Promise<CurrentRunResultDto> {
    return this.checks.runCurrent(principal, q.month, clientRequestId || undefined);
  }

  @Post('retrospective')
  @HttpCode(200)
  @Roles(Role.Verifier, Role.Supervisor)
  @ApiOperation({
    summary: 'Check a person or an assignment over a past period; raises FindingRaisedV1 (kind retrospective) per new finding',
  })
  @ApiOkResponse({ type: RetrospectiveResultDto })
  @ApiBadRequestResponse({
    description: 'CHECK_SUBJECT_REQUIRED, PERIOD_INVALID, PERIOD_IN_FUTURE, ASSIGNMENT_PERSON_MISMATCH, VALIDATION_FAILED',
  })
  @ApiNotFoundResponse({ description: 'RECIPIENT_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'TERRITORY_FORBIDDEN' })
  @ApiServiceUnavailableResponse({ description: 'REGISTER_UNAVAILABLE: an on-demand register pull failed or its circuit is open' })
  async retrospective(@CurrentPrincipal() principal: Principal, @Body() body: RetrospectiveCheckDto): Promise<RetrospectiveResultDto> {
    return this.checks.runRetrospective(principal, body);
  }
}
