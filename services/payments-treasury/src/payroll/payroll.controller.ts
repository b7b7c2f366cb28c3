import { Role } from '@eisss/contracts';
import { CurrentPrincipal, PageQueryDto, Roles, pageOf, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { BatchDto, PayrollDto, PayrollLinePageDto, PayrollPageDto, PayrollQueryDto, RunPayrollDto } from './dto/payroll.dto';
import { PayrollService } from './payroll.service';

@ApiTags('payrolls')
@ApiBearerAuth()
@Controller('payrolls')
export class PayrollController {
  constructor(private readonly payrolls: PayrollService) {}

  @Post()
  @Roles(Role.Treasurer)
  @ApiCreatedResponse({ type: PayrollDto, description: 'accrued and submitted for the funds check (status submitted)' })
  @ApiConflictResponse({ description: 'PAYROLL_EXISTS: the programme already has a payroll for the month' })
  @ApiForbiddenResponse({ description: 'NATIONAL_SCOPE_REQUIRED: a payroll covers the whole country' })
  @ApiUnprocessableEntityResponse({ description: 'PAYROLL_PROGRAMME_UNKNOWN: the treasury holds no assignment of the programme' })
  run(@CurrentPrincipal() principal: Principal, @Body() body: RunPayrollDto): Promise<PayrollDto> {
    return this.payrolls.run(principal, body);
  }

  @Get()
  @Roles(Role.Treasurer, Role.BudgetOfficer)
  @ApiOkResponse({ type: PayrollPageDto, description: 'payrolls with lines in your territory' })
  list(@CurrentPrincipal() principal: Principal, @Query() q: PayrollQueryDto): Promise<PayrollPageDto> {
    return this.payrolls.list(principal, { programmeCode: q.programmeCode, month: q.month, status: q.status, ...pageOf(q) });
  }

  @Get(':id')
  @Roles(Role.Treasurer, Role.BudgetOfficer)
  @ApiOkResponse({ type: PayrollDto, description: 'status and control totals; a held payroll carries the reason' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PayrollDto> {
    return this.payrolls.get(principal, id);
  }

  @Get(':id/lines')
  @Roles(Role.Treasurer)
  @ApiOkResponse({ type: PayrollLinePageDto, description: 'lines in your territory (the read is audited)' })
  lines(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQueryDto,
  ): Promise<PayrollLinePageDto> {
    return this.payrolls.lines(principal, id, pageOf(q));
  }

  @Post(':id/resubmit')
  @HttpCode(200)
  @Roles(Role.Treasurer)
  @ApiOkResponse({ type: PayrollDto })
  @ApiConflictResponse({ description: 'PAYROLL_NOT_HELD' })
  @ApiForbiddenResponse({ description: 'NATIONAL_SCOPE_REQUIRED' })
  resubmit(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PayrollDto> {
    return this.payrolls.resubmit(principal, id);
  }

  @Post(':id/batches')
  @HttpCode(200)
  @Roles(Role.Treasurer)
  @ApiOkResponse({
    type: [BatchDto],
    description:
      'new batches (one per bank МФО, one for the post): pending payments, re-issues and lines whose account has arrived; empty when nothing is pending',
  })
  @ApiForbiddenResponse({ description: 'NATIONAL_SCOPE_REQUIRED' })
  @ApiConflictResponse({ description: 'PAYROLL_NOT_APPROVED: held or still in the funds check' })
  exportBatches(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<BatchDto[]> {
    return this.payrolls.exportBatches(principal, id);
  }
}
