import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoles } from '../cases/case.controller';
import { OverdueQuery, ScanDto, WorkloadQuery } from '../cases/dto/case.dto';
import { DeadlinesService } from './deadlines.service';

@ApiTags('deadlines')
@ApiBearerAuth()
@Controller()
export class DeadlinesController {
  constructor(private readonly deadlines: DeadlinesService) {}

  @Get('deadlines/overdue')
  @Roles(...CaseRoles.READ)
  @ApiOperation({ summary: 'Overdue assessments, decisions and reviews of your territory, per office (КАТОТТГ) and worker (paginated)' })
  @ApiOkResponse({
    description: '{ asOf, items: [{ caseId, personId, katottg, workerId, stage, dueDate, status, ruleSetVersion }], total, limit, offset }',
  })
  async overdue(@CurrentPrincipal() p: Principal, @Query() q: OverdueQuery) {
    const page = pageOf(q);
    return pageResult(page, await this.deadlines.overdue(p, { ...q, ...page }));
  }

  @Post('deadlines/scan')
  @HttpCode(200)
  @Roles(Role.System, Role.CaseManager, Role.Supervisor)
  @ApiOperation({
    summary: 'Emit case-management.case.deadline-missed.v1 once per case and stage for everything overdue (periodic job or on demand)',
  })
  @ApiOkResponse({ description: '{ asOf, overdue, emitted }' })
  scan(@CurrentPrincipal() p: Principal, @Body() body: ScanDto) {
    return this.deadlines.scanDeadlines(p, body.asOf);
  }

  @Get('workload')
  @Roles(...CaseRoles.READ)
  @ApiOperation({ summary: 'Active, crisis and overdue cases per office and worker' })
  @ApiOkResponse({ description: '[{ katottg, workerId, activeCases, crisisCases, overdueStages }]' })
  workload(@CurrentPrincipal() p: Principal, @Query() q: WorkloadQuery) {
    return this.deadlines.workload(p, q.asOf);
  }
}
