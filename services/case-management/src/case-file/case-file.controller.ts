import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoles } from '../cases/case.controller';
import { CaseDto } from '../cases/dto/case.dto';
import { CaseFileService } from './case-file.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseFileController {
  constructor(private readonly cases: CaseFileService) {}

  @Get(':id')
  @Roles(...CaseRoles.READ)
  @ApiOperation({
    summary: 'The case file: case, acts with versions, contracts, notes, attachments, team, monitoring, appeals, journal, placements',
  })
  @ApiOkResponse({ type: CaseDto })
  file(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.cases.file(p, id);
  }
}
