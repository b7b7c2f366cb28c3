import { Role } from '@eisss/contracts';
import { CurrentPrincipal, PageQueryDto, Roles, pageOf, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { AppropriationService } from './appropriation.service';

export class AppropriationDto {
  @ApiProperty({ example: 'idp-living-allowance' }) @IsString() @IsNotEmpty() programmeCode!: string;
  @ApiProperty({ example: 'UA80', description: "'UA' (national, unallocated) or an oblast КАТОТТГ prefix UA + 2 digits" })
  @Matches(/^UA([0-9]{2})?$/)
  region!: string;
  @ApiProperty({ example: '2026-12' }) @Matches(/^[0-9]{4}-(0[1-9]|1[0-2])$/) month!: string;
  @ApiProperty({ example: '100000000', description: 'kopiyky, decimal string' }) @Matches(/^[0-9]{1,15}$/) amountKopiyky!: string;
}

export class AppropriationImportDto {
  @ApiProperty({ enum: ['csv', 'json'] }) @IsIn(['csv', 'json']) format!: 'csv' | 'json';
  @ApiPropertyOptional({ description: 'CSV text with header programmeCode,region,month,amountKopiyky (format csv)' })
  @ValidateIf((o: AppropriationImportDto) => o.format === 'csv')
  @IsString()
  @IsNotEmpty()
  content?: string;
  @ApiPropertyOptional({ type: [AppropriationDto], description: 'rows (format json); validated row by row, all-or-nothing' })
  @ValidateIf((o: AppropriationImportDto) => o.format === 'json')
  @IsArray()
  @ArrayMaxSize(100000)
  @IsObject({ each: true })
  rows?: Record<string, unknown>[];
}

export class AppropriationRowDto extends AppropriationDto {
  @ApiProperty() source!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty() updatedAt!: string;
}
export class AppropriationPageDto {
  @ApiProperty({ type: [AppropriationRowDto] }) items!: AppropriationRowDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
}
export class AppropriationQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() programmeCode?: string;
  @ApiPropertyOptional({ example: '2026' }) @IsOptional() @Matches(/^[0-9]{4}$/) year?: string;
}
export class ImportResultDto {
  @ApiProperty() imported!: number;
}

@ApiTags('appropriations')
@ApiBearerAuth()
@Controller('appropriations')
export class AppropriationController {
  constructor(private readonly appropriations: AppropriationService) {}

  @Put()
  @Roles(Role.BudgetOfficer)
  @ApiOkResponse({ type: AppropriationDto, description: 'sets (upserts) one appropriation; idempotent' })
  set(@CurrentPrincipal() principal: Principal, @Body() body: AppropriationDto): Promise<AppropriationDto> {
    return this.appropriations.set(principal, body);
  }

  @Post('import')
  @HttpCode(200)
  @Roles(Role.BudgetOfficer)
  @ApiOkResponse({ type: ImportResultDto })
  @ApiUnprocessableEntityResponse({
    description: 'APPROPRIATION_IMPORT_INVALID (400) with details.problems [{row, field, message}]; nothing is written',
  })
  import(@CurrentPrincipal() principal: Principal, @Body() body: AppropriationImportDto): Promise<ImportResultDto> {
    return this.appropriations.import(principal, body);
  }

  @Get()
  @Roles(Role.BudgetOfficer, Role.Treasurer)
  @ApiOkResponse({ type: AppropriationPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() q: AppropriationQueryDto): Promise<AppropriationPageDto> {
    return this.appropriations.list(principal, { programmeCode: q.programmeCode, year: q.year, ...pageOf(q) });
  }
}
