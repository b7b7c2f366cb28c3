import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../shared/page.dto';
import { BatchDto, PayrollDto, PayrollLinePageDto, PayrollPageDto, PayrollQueryDto, RunPayrollDto } from './dto/payroll.dto';
import { PayrollService } from './payroll.service';

@ApiTags('payrolls')
@ApiBearerAuth()
@Controller('payrolls')
export class PayrollController {
  constructor(private readonly payrolls: PayrollService) {}

  @Post()
  @Roles('treasurer')
  @ApiCreatedResponse({ type: PayrollDto, description: 'accrued and submitted for the funds check (status submitted)' })
  @ApiConflictResponse({ description: 'PAYROLL_EXISTS: the programme already has a payroll for the month' })
  run(@CurrentPrincipal() principal: Principal, @Body() body: RunPayrollDto): Promise<PayrollDto> {
    return this.payrolls.run(principal, body);
  }

  @Get()
  @Roles('treasurer', 'budget-officer')
  @ApiOkResponse({ type: PayrollPageDto })
  list(@Query() q: PayrollQueryDto): Promise<PayrollPageDto> {
    return this.payrolls.list({ programmeCode: q.programmeCode, month: q.month, status: q.status, limit: q.limit ?? 50, offset: q.offset ?? 0 });
  }

  @Get(':id')
  @Roles('treasurer', 'budget-officer')
  @ApiOkResponse({ type: PayrollDto, description: 'status and control totals; a held payroll carries the reason' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PayrollDto> {
    return this.payrolls.get(principal, id);
  }

  @Get(':id/lines')
  @Roles('treasurer')
  @ApiOkResponse({ type: PayrollLinePageDto })
  lines(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto): Promise<PayrollLinePageDto> {
    return this.payrolls.lines(principal, id, q.limit ?? 50, q.offset ?? 0);
  }

  @Post(':id/resubmit')
  @HttpCode(200)
  @Roles('treasurer')
  @ApiOkResponse({ type: PayrollDto })
  @ApiConflictResponse({ description: 'PAYROLL_NOT_HELD' })
  resubmit(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PayrollDto> {
    return this.payrolls.resubmit(principal, id);
  }

  @Post(':id/batches')
  @HttpCode(200)
  @Roles('treasurer')
  @ApiOkResponse({ type: [BatchDto], description: 'new batches (one per bank МФО, one for the post); empty when nothing is pending' })
  @ApiConflictResponse({ description: 'PAYROLL_NOT_APPROVED: held or still in the funds check' })
  exportBatches(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<BatchDto[]> {
    return this.payrolls.exportBatches(principal, id);
  }
}
