import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Controller, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { EmploymentCheckQueryDto, EmploymentCheckResultDto } from './dto/employment.dto';
import { EmploymentService } from './employment.service';

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('assignments')
export class EmploymentController {
  constructor(private readonly employment: EmploymentService) {}

  @Post('employment-check')
  @HttpCode(200)
  @Roles(Role.Officer, Role.Supervisor, Role.System)
  @ApiOperation({
    summary: 'Apply the IDP employment duty and the 7th payment on a day (daily job, or staff on request; idempotent)',
    description:
      "For every open IDP assignment of the caller's territory: an able-bodied unemployed member with no step into employment (job, sole proprietor, employment-centre registration) within 3 months of the term's start (2 months for an extended term) loses their share from the next month; it is restored within the term from the month they register or start work (from 26.08.2025); a member employed without a gap through a whole term gets one extra month amount (from September 2025). Each change is a new assignment version (AssignmentChangedV2 / AssignmentTerminatedV2) with reason EMPLOYMENT_DUTY_STOP, EMPLOYMENT_DUTY_RESTORED, EMPLOYMENT_DUTY_STOP_LIFTED or IDP_SEVENTH_PAYMENT citing the clause. The act leaves no discretion: no second person.",
  })
  @ApiOkResponse({ type: EmploymentCheckResultDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (on is not a date)' })
  @ApiForbiddenResponse({ description: 'ROLE_FORBIDDEN' })
  @ApiUnprocessableEntityResponse({ description: 'CHECK_DATE_IN_FUTURE' })
  async check(@CurrentPrincipal() principal: Principal, @Query() q: EmploymentCheckQueryDto): Promise<EmploymentCheckResultDto> {
    return this.employment.check(principal, q.on);
  }
}
