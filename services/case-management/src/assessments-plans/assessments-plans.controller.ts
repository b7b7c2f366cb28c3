import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseEnumPipe, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CaseRoles, ILLEGAL } from '../cases/case.controller';
import { ApprovePlanDto, AssessDto, CaseDto, FormQuery, MonitoringDto } from '../cases/dto/case.dto';
import { AssessmentsPlansService } from './assessments-plans.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class AssessmentsPlansController {
  constructor(private readonly cases: AssessmentsPlansService) {}

  @Get(':id/forms/:kind')
  @Roles(...CaseRoles.READ)
  @ApiOperation({
    summary: 'Printable form of the assessment act or the individual plan, rendered from the case data (?version= for an earlier version)',
  })
  @ApiOkResponse({ description: 'text/plain form' })
  async form(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('kind', new ParseEnumPipe(['assessment', 'plan'])) kind: 'assessment' | 'plan',
    @Query() q: FormQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const text = await this.cases.actForm(p, id, kind, q.version);
    res.type('text/plain; charset=utf-8');
    return text;
  }

  @Post(':id/assessment')
  @HttpCode(200)
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Sign the needs assessment act, or correct it (new version with correctionReason)' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  assess(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssessDto) {
    return this.cases.assess(p, id, body);
  }

  @Post(':id/plan')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({
    summary: 'Approve the individual plan of services (Classifier codes), or correct it (new version with correctionReason)',
  })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  plan(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ApprovePlanDto) {
    return this.cases.approvePlan(p, id, body);
  }

  @Post(':id/monitoring')
  @HttpCode(200)
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Record monitoring or a plan review (a review moves the next review date)' })
  @ApiOkResponse({ type: CaseDto })
  monitor(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: MonitoringDto) {
    return this.cases.monitor(p, id, body);
  }
}
