import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateHouseholdDto,
  HouseholdDto,
  HouseholdListQueryDto,
  HouseholdMemberInputDto,
  HouseholdPageDto,
  LeaveHouseholdDto,
} from './household.dto';
import { HouseholdService } from './household.service';

@ApiTags('households')
@ApiBearerAuth()
@Controller('households')
export class HouseholdController {
  constructor(private readonly households: HouseholdService) {}

  @Post()
  @Roles(Role.Registrar, Role.Officer)
  @ApiCreatedResponse({ type: HouseholdDto })
  @ApiConflictResponse({ description: 'HOUSEHOLD_MEMBER_ALREADY_ACTIVE' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateHouseholdDto): Promise<HouseholdDto> {
    return this.households.create(p, body);
  }

  @Get()
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.System)
  @ApiOkResponse({ type: HouseholdPageDto })
  async list(@CurrentPrincipal() p: Principal, @Query() q: HouseholdListQueryDto): Promise<HouseholdPageDto> {
    const page = pageOf(q);
    const found = await this.households.list(p, q.katottg, q.personId, page);
    return pageResult(page, { items: found.items, total: found.total });
  }

  @Get(':id')
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.Citizen, Role.System)
  @ApiOkResponse({ type: HouseholdDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<HouseholdDto> {
    return this.households.get(p, id);
  }

  @Post(':id/members')
  @Roles(Role.Registrar, Role.Officer)
  @ApiCreatedResponse({ type: HouseholdDto })
  addMember(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: HouseholdMemberInputDto,
  ): Promise<HouseholdDto> {
    return this.households.addMember(p, id, body);
  }

  @Post(':id/members/:personId/leave')
  @Roles(Role.Registrar, Role.Officer)
  @ApiCreatedResponse({ type: HouseholdDto })
  leave(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('personId', ParseUUIDPipe) personId: string,
    @Body() body: LeaveHouseholdDto,
  ): Promise<HouseholdDto> {
    return this.households.removeMember(p, id, personId, body.leftOn);
  }
}
