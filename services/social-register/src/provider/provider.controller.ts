import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateProviderDto, ProviderDto, ProviderPageDto, ProviderQueryDto, UpdateProviderDto } from './provider.dto';
import { ProviderService } from './provider.service';

const READERS: Role[] = [Role.Registrar, Role.Officer, Role.Supervisor, Role.CaseWorker, Role.CaseManager, Role.Citizen, Role.System];

@ApiTags('providers')
@ApiBearerAuth()
@Controller('providers')
export class ProviderController {
  constructor(private readonly providers: ProviderService) {}

  @Post()
  @Roles(Role.Registrar, Role.Supervisor)
  @ApiCreatedResponse({
    type: ProviderDto,
    description: '201 created; 200 with the existing record when the same code and data are sent again',
  })
  @ApiConflictResponse({ description: 'PROVIDER_CODE_TAKEN' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: CreateProviderDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProviderDto> {
    const r = await this.providers.create(p, body);
    if (!r.created) res.status(200);
    return r.provider;
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: ProviderPageDto })
  async list(@CurrentPrincipal() p: Principal, @Query() q: ProviderQueryDto): Promise<ProviderPageDto> {
    const page = pageOf(q);
    return pageResult(page, await this.providers.list(p, { ...q, ...page }));
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: ProviderDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ProviderDto> {
    return this.providers.get(p, id);
  }

  @Patch(':id')
  @Roles(Role.Registrar, Role.Supervisor)
  @ApiOkResponse({ type: ProviderDto })
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProviderDto): Promise<ProviderDto> {
    return this.providers.update(p, id, body);
  }
}
