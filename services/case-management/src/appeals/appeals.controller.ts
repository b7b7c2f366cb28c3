import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoles } from '../cases/case.controller';
import { AppealDto, CaseDto, ReviewAppealDto } from '../cases/dto/case.dto';
import { AppealsService } from './appeals.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseAppealController {
  constructor(private readonly cases: AppealsService) {}

  @Post(':id/appeals')
  @Roles(...CaseRoles.READ, Role.Citizen)
  @ApiOperation({ summary: 'Appeal a decision (incl. an automated one) to be reviewed by a person; citizens appeal their own case' })
  @ApiCreatedResponse({ description: '{ id }' })
  appeal(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AppealDto) {
    return this.cases.fileAppeal(p, id, body);
  }
}

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class AppealController {
  constructor(private readonly cases: AppealsService) {}

  @Post(':id/review')
  @HttpCode(200)
  @Roles(...CaseRoles.REVIEW)
  @ApiOperation({ summary: 'A person reviews an appeal (upheld appeal against a refusal reopens the decision)' })
  @ApiOkResponse({ type: CaseDto })
  review(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReviewAppealDto) {
    return this.cases.reviewAppeal(p, id, body);
  }
}
