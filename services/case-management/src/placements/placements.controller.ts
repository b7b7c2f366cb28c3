import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoles } from '../cases/case.controller';
import { CandidateDto, EndPlacementDto, PlacementDto } from '../cases/dto/case.dto';
import { PlacementsService } from './placements.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class PlacementsController {
  constructor(private readonly cases: PlacementsService) {}

  @Post(':id/placement-candidates')
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Child deprived of parental care: add a guardian / foster / adoptive candidate' })
  @ApiCreatedResponse({ description: '{ id }' })
  candidate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CandidateDto) {
    return this.cases.addCandidate(p, id, body);
  }

  @Post(':id/placements')
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Child deprived of parental care: place the child with a candidate' })
  @ApiCreatedResponse({ description: '{ id }' })
  place(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: PlacementDto) {
    return this.cases.place(p, id, body);
  }

  @Post(':id/placements/end')
  @HttpCode(204)
  @Roles(...CaseRoles.MANAGE)
  @ApiOperation({ summary: 'Child deprived of parental care: end the active placement' })
  async endPlacement(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: EndPlacementDto,
  ): Promise<void> {
    await this.cases.endPlacement(p, id, body);
  }
}
