import { CurrentPrincipal, PageQueryDto, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CaseRoles, ILLEGAL } from '../cases/case.controller';
import { CaseDto, ContractDto, ProvisionDto } from '../cases/dto/case.dto';
import { ContractsProvisionsService } from './contracts-provisions.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class ContractsProvisionsController {
  constructor(private readonly cases: ContractsProvisionsService) {}

  @Post(':id/contracts')
  @HttpCode(200)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Record the contract with a provider of the plan (the first one starts provision)' })
  @ApiOkResponse({ type: CaseDto })
  @ApiConflictResponse(ILLEGAL)
  contract(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ContractDto) {
    return this.cases.signContract(p, id, body);
  }

  @Post(':id/provisions')
  @Roles(...CaseRoles.WORK)
  @ApiOperation({ summary: 'Record a visit with its real date (idempotent by clientId; 200 on a retry)' })
  @ApiCreatedResponse({ description: 'the provision record' })
  @ApiConflictResponse({ description: 'CASE_NO_CONTRACT, CASE_CLIENT_ID_CONFLICT' })
  async provide(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ProvisionDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.cases.recordProvision(p, id, body);
    res.status(r.created ? 201 : 200);
    return r.provision;
  }

  @Get(':id/provisions')
  @Roles(...CaseRoles.READ)
  @ApiOperation({ summary: 'Visits of the case (paginated)' })
  @ApiOkResponse({ description: '{ items, total, limit, offset }' })
  async provisions(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto) {
    const page = pageOf(q);
    return pageResult(page, await this.cases.provisions(p, id, page));
  }
}
