import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ReportsRepository, type GroupBy } from './reports.repository';

export class ExecutionQueryDto {
  @ApiProperty({ example: '2026' }) @Matches(/^[0-9]{4}$/) year!: string;
  @ApiProperty({ enum: ['programme', 'holder', 'region', 'month'] }) @IsIn(['programme', 'holder', 'region', 'month']) groupBy!: GroupBy;
  @ApiPropertyOptional() @IsOptional() @IsString() programmeCode?: string;
}
export class ExecutionRowDto {
  @ApiProperty({ description: 'programme code, holder code, region (UA + 2 digits) or month' }) key!: string;
  @ApiProperty({ description: 'appropriations (plan), kopiyky' }) planKopiyky!: string;
  @ApiProperty({ description: 'commitments of assignments, kopiyky' }) committedKopiyky!: string;
  @ApiProperty({ description: 'reserved (blocked) for payrolls, kopiyky' }) reservedKopiyky!: string;
  @ApiProperty({ description: 'paid (settled, not returned), kopiyky' }) paidKopiyky!: string;
}
export class ForecastQueryDto {
  @ApiProperty({ example: '2026-12', description: 'first month of the 12' }) @Matches(/^[0-9]{4}-(0[1-9]|1[0-2])$/) from!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() programmeCode?: string;
}
export class ForecastRowDto {
  @ApiProperty() programmeCode!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ description: 'active assignments with an amount in the month' }) assignments!: number;
  @ApiProperty({ description: 'Σ committed amounts of the month (ends at known end dates), kopiyky' }) needKopiyky!: string;
  @ApiProperty() planKopiyky!: string;
  @ApiProperty({ description: 'need − plan (positive: appropriation missing)' }) gapKopiyky!: string;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsRepository) {}

  private prefix(p: Principal): string {
    return p.territory === 'UA' ? '' : p.territory.slice(0, 4);
  }

  @Get('execution')
  @Roles(Role.BudgetOfficer, Role.Treasurer)
  @ApiOkResponse({ type: [ExecutionRowDto], description: 'plan vs committed vs reserved vs paid, grouped; a regional officer sees the own region' })
  execution(@CurrentPrincipal() principal: Principal, @Query() q: ExecutionQueryDto): Promise<ExecutionRowDto[]> {
    return this.reports.execution({ year: q.year, groupBy: q.groupBy, programmeCode: q.programmeCode, regionPrefix: this.prefix(principal) });
  }

  @Get('forecast')
  @Roles(Role.BudgetOfficer, Role.Treasurer)
  @ApiOkResponse({ type: [ForecastRowDto], description: 'need of the next 12 months from active assignments and their known end dates' })
  forecast(@CurrentPrincipal() principal: Principal, @Query() q: ForecastQueryDto): Promise<ForecastRowDto[]> {
    return this.reports.forecast({ from: q.from, programmeCode: q.programmeCode, regionPrefix: this.prefix(principal) });
  }
}
