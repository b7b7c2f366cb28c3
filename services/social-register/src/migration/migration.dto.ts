import { IMPORT_ENTITIES, LegacySourceSystems } from '@eisss/contracts';
import { PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ENCODINGS } from './legacy-reader';

const STATUSES = ['staging', 'validated', 'awaiting_approval', 'applying', 'completed', 'failed'];

export class CreateImportQueryDto {
  @ApiPropertyOptional({ enum: IMPORT_ENTITIES, description: 'the file’s entity (default: from fileName’s first word)' })
  @IsOptional()
  @IsIn(IMPORT_ENTITIES as unknown as string[])
  entity?: string;

  @ApiPropertyOptional({ example: 'persons-asopd-2026-11.csv.gz', description: 'the file’s name (for the job and the entity)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^[^\\/]+$/, { message: 'fileName: a name without a path' })
  fileName?: string;

  @ApiPropertyOptional({ enum: Object.keys(ENCODINGS), description: 'default: UTF-8 unless the bytes are not UTF-8 (then CP1251)' })
  @IsOptional()
  @IsIn(Object.keys(ENCODINGS))
  encoding?: string;
}

export class ImportJobQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: string;
  @ApiPropertyOptional({ enum: IMPORT_ENTITIES }) @IsOptional() @IsIn(IMPORT_ENTITIES as unknown as string[]) entity?: string;
}

export class RejectCountDto {
  @ApiProperty() code!: string;
  @ApiProperty() count!: number;
}

export class ImportJobDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: IMPORT_ENTITIES }) entity!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty({ description: 'SHA-256 of the file: the same file is one job' }) fileSha256!: string;
  @ApiProperty() encoding!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty() createdBy!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) approvedBy!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty({ description: 'rows of the file (the header not counted)' }) totalRows!: number;
  @ApiProperty() rejectedRows!: number;
  @ApiProperty({ description: 'new register records' }) createdRows!: number;
  @ApiProperty({ description: 'rows linked to a record the register already held (exact duplicates)' }) linkedRows!: number;
  @ApiProperty({ description: 'duplicate-review tasks opened (probable duplicates)' }) reviewRows!: number;
  @ApiProperty() chunkSize!: number;
  @ApiProperty({ description: 'the last line applied (a resume continues after it)' }) appliedThrough!: number;
  @ApiProperty() chunksApplied!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiPropertyOptional({ type: [RejectCountDto], description: 'rejects per code' }) rejects?: RejectCountDto[];
}

export class ImportJobPageDto {
  @ApiProperty({ type: [ImportJobDto] }) items!: ImportJobDto[];
  @ApiProperty({ nullable: true, type: Number }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class LegacyIdParamsDto {
  @ApiProperty({ enum: LegacySourceSystems }) @IsIn(LegacySourceSystems as unknown as string[]) sourceSystem!: string;
  @ApiProperty({ enum: ['person', 'household', 'status', 'account', 'assignment'] })
  @IsIn(['person', 'household', 'status', 'account', 'assignment'])
  entity!: string;
  @ApiProperty()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_./-]+$/, { message: 'legacyId: letters, digits and -_./' })
  legacyId!: string;
}

export class LegacyIdDto {
  @ApiProperty() sourceSystem!: string;
  @ApiProperty() entity!: string;
  @ApiProperty() legacyId!: string;
  @ApiProperty({ description: 'the register id (person, household, status; an assignment’s migration record)' }) registerId!: string;
  @ApiProperty() jobId!: string;
  @ApiProperty() line!: number;
  @ApiProperty() importedAt!: string;
}
