import { Role } from '@eisss/contracts';
import { IsKatottg, PageQueryDto, Roles, pageOf } from '@eisss/platform';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ProgrammeService } from './programme.service';

export class CreateBudgetHolderDto {
  @ApiProperty({ example: 'minsotspolityky', description: 'code of the budget holder (розпорядник)' })
  @Matches(/^[a-z0-9-]{2,60}$/)
  code!: string;
  @ApiProperty({ example: 'Міністерство соціальної політики України' }) @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @ApiPropertyOptional({ example: 'UA80000000000093317' }) @IsOptional() @IsKatottg() katottg?: string;
}
export class BudgetHolderDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true }) katottg!: string | null;
}
export class BudgetHolderPageDto {
  @ApiProperty({ type: [BudgetHolderDto] }) items!: BudgetHolderDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
}
export class CreateProgrammeDto {
  @ApiProperty({ example: 'idp-living-allowance', description: 'programme code as used in assignments' })
  @Matches(/^[a-z0-9-]{2,100}$/)
  code!: string;
  @ApiProperty({ example: '2501480', description: 'КПКВК: 7 digits' }) @Matches(/^[0-9]{7}$/) kpkvk!: string;
  @ApiProperty({ example: 'Допомога на проживання ВПО' }) @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @ApiProperty({ example: 'minsotspolityky' }) @IsString() @IsNotEmpty() holderCode!: string;
}
export class ProgrammeDto {
  @ApiProperty() code!: string;
  @ApiProperty() kpkvk!: string;
  @ApiProperty() name!: string;
  @ApiProperty() holderCode!: string;
  @ApiProperty() holderName!: string;
}
export class ProgrammePageDto {
  @ApiProperty({ type: [ProgrammeDto] }) items!: ProgrammeDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
}
export class ProgrammeQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() holderCode?: string;
}

@ApiTags('programmes')
@ApiBearerAuth()
@Controller()
export class ProgrammeController {
  constructor(private readonly programmes: ProgrammeService) {}

  @Post('budget-holders')
  @Roles(Role.BudgetOfficer)
  @ApiCreatedResponse({ type: BudgetHolderDto })
  @ApiConflictResponse({ description: 'BUDGET_HOLDER_EXISTS (a retry with the same data returns the holder)' })
  createHolder(@Body() body: CreateBudgetHolderDto): Promise<BudgetHolderDto> {
    return this.programmes.createHolder(body);
  }

  @Get('budget-holders')
  @Roles(Role.BudgetOfficer, Role.Treasurer)
  @ApiOkResponse({ type: BudgetHolderPageDto })
  holders(@Query() q: PageQueryDto): Promise<BudgetHolderPageDto> {
    return this.programmes.holders(pageOf(q));
  }

  @Post('programmes')
  @Roles(Role.BudgetOfficer)
  @ApiCreatedResponse({ type: ProgrammeDto })
  @ApiConflictResponse({ description: 'PROGRAMME_EXISTS' })
  create(@Body() body: CreateProgrammeDto): Promise<ProgrammeDto> {
    return this.programmes.createProgramme(body);
  }

  @Get('programmes')
  @Roles(Role.BudgetOfficer, Role.Treasurer)
  @ApiOkResponse({ type: ProgrammePageDto })
  list(@Query() q: ProgrammeQueryDto): Promise<ProgrammePageDto> {
    return this.programmes.programmes({ holderCode: q.holderCode, ...pageOf(q) });
  }

  @Get('programmes/:code')
  @Roles(Role.BudgetOfficer, Role.Treasurer)
  @ApiOkResponse({ type: ProgrammeDto })
  get(@Param('code') code: string): Promise<ProgrammeDto> {
    return this.programmes.programme(code);
  }
}
