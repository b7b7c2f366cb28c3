import { PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { TerritoryKinds } from '../territory-list';

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export class TerritoryImportRowDto {
  @ApiProperty({
    example: 'UA14160050000036863',
    description: 'КАТОТТГ code of the community (or a higher unit: its code prefix covers the children)',
  })
  @IsString()
  katottg!: string;
  @ApiPropertyOptional({ example: 'Бахмутська міська територіальна громада' }) @IsOptional() @IsString() @MaxLength(300) name?: string;
  @ApiProperty({ enum: TerritoryKinds }) @IsString() kind!: string;
  @ApiProperty({ example: '2022-02-24', description: 'Дата виникнення (start of hostilities / occupation)' })
  @IsString()
  startedOn!: string;
  @ApiPropertyOptional({ example: '2026-09-15', nullable: true, description: 'Дата завершення (end); null or absent while ongoing' })
  @IsOptional()
  @IsString()
  endedOn?: string | null;
  @ApiPropertyOptional({
    example: '2022-12-22',
    description: 'The date the territory was first added to the list; default: kept from the current row, else the order date',
  })
  @IsOptional()
  @IsString()
  includedOn?: string;
}

export class TerritoryImportDto {
  @ApiProperty({ example: 'наказ Мінрозвитку № 376', description: 'The order the list (or its change) was approved by' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  sourceOrder!: string;
  @ApiProperty({ example: '2025-02-28', description: 'The order date' }) @Matches(DATE) sourceOrderDate!: string;
  @ApiPropertyOptional({ example: 'ред. наказу № 748 від 23.04.2025', description: 'The version / redaction of the published file' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sourceVersion?: string;
  @ApiPropertyOptional({
    description:
      "The ministry's file as CSV (see the layout: Код КАТОТТГ;Найменування;Розділ;Дата виникнення;Дата завершення;Дата включення); give csv or rows",
  })
  @IsOptional()
  @IsString()
  @MaxLength(5_000_000)
  csv?: string;
  @ApiPropertyOptional({ type: [TerritoryImportRowDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50_000)
  @ValidateNested({ each: true })
  @Type(() => TerritoryImportRowDto)
  rows?: TerritoryImportRowDto[];
  @ApiProperty({
    example: 'перелік у ред. наказу № 1151 від 15.07.2025',
    description: 'Why (kept on the approval request and in the audit log)',
  })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
  @ApiPropertyOptional({ description: 'Reference to the published file (URL or document id)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  evidenceRef?: string;
}

export class TerritoryQueryDto {
  @ApiProperty({ example: 'UA14160050000036863' }) @Matches(/^UA[0-9]{17}$/) katottg!: string;
  @ApiPropertyOptional({ example: '2026-03-10', description: 'Date of the status (default today, Europe/Kyiv)' })
  @IsOptional()
  @Matches(DATE)
  on?: string;
}

export class TerritorySourceDto {
  @ApiProperty() order!: string;
  @ApiProperty() orderDate!: string;
  @ApiPropertyOptional({ nullable: true }) version!: string | null;
}

export class TerritoryRowDto {
  @ApiProperty() entryId!: string;
  @ApiProperty() importId!: string;
  @ApiProperty() listVersion!: number;
  @ApiProperty() katottg!: string;
  @ApiPropertyOptional({ nullable: true }) name!: string | null;
  @ApiProperty({ enum: TerritoryKinds }) kind!: string;
  @ApiProperty() startedOn!: string;
  @ApiPropertyOptional({ nullable: true }) endedOn!: string | null;
  @ApiProperty() includedOn!: string;
  @ApiProperty({ type: TerritorySourceDto }) source!: TerritorySourceDto;
  @ApiPropertyOptional({ nullable: true, description: 'history only: the import that replaced this row' }) supersededBy?: string | null;
  @ApiPropertyOptional({ description: 'history only' }) importedAt?: string;
}

export class TerritoryStatusDto {
  @ApiProperty() katottg!: string;
  @ApiProperty() on!: string;
  @ApiProperty({ enum: ['listed', 'ended', 'not_yet_included', 'not_listed'] }) status!: string;
  @ApiProperty({
    description:
      'whether the IDP allowance is paid for the month of `on` by reason of the origin (from the month after inclusion, through the 3rd month after the month of the end date)',
  })
  paidInMonth!: boolean;
  @ApiPropertyOptional({ type: TerritoryRowDto, nullable: true, description: 'the row that decides, with its source' })
  row!: TerritoryRowDto | null;
  @ApiProperty({ type: [TerritoryRowDto], description: 'the rows in force covering the code' }) rows!: TerritoryRowDto[];
  @ApiProperty({ type: [TerritoryRowDto], description: 'every version of those rows, newest first' }) history!: TerritoryRowDto[];
  @ApiPropertyOptional({ nullable: true }) listVersion!: number | null;
}

export class TerritoryImportRecordDto {
  @ApiProperty() id!: string;
  @ApiProperty() listVersion!: number;
  @ApiProperty() sourceOrder!: string;
  @ApiProperty() sourceOrderDate!: string;
  @ApiPropertyOptional({ nullable: true }) sourceVersion!: string | null;
  @ApiProperty({ enum: ['csv', 'json', 'seed'] }) format!: string;
  @ApiProperty() rowCount!: number;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() approvedBy!: string;
  @ApiPropertyOptional({ nullable: true }) dualControlRequestId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'open assignments recalculated at approval: checked, changed, terminated, unchanged, assignment ids',
  })
  recalculation!: Record<string, unknown>;
  @ApiProperty() importedAt!: string;
}

export class TerritoryImportPageDto {
  @ApiProperty({ type: [TerritoryImportRecordDto] }) items!: TerritoryImportRecordDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class TerritoryImportListQueryDto extends PageQueryDto {}
