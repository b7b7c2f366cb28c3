import { IsKatottg, PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';

const ROLES = ['head', 'recipient', 'dependant'] as const;

export class HouseholdMemberInputDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: 'head' | 'recipient' | 'dependant';
  @ApiProperty({ description: 'calendar date YYYY-MM-DD', example: '2026-11-01' })
  @IsISO8601({ strict: true, strictSeparator: true })
  joinedOn!: string;
}

export class CreateHouseholdDto {
  @ApiProperty({ example: 'UA80000000000093317' }) @IsKatottg() katottg!: string;
  @ApiPropertyOptional({ example: 'м. Київ, вул. Хрещатик, 1, кв. 5' }) @IsOptional() @IsString() @MaxLength(500) address?: string;
  @ApiProperty({ type: [HouseholdMemberInputDto] })
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberInputDto)
  @ArrayMinSize(1)
  members!: HouseholdMemberInputDto[];
  @ApiPropertyOptional({ description: 'client request id: a retry with the same id returns the same household' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientRequestId?: string;
}

export class LeaveHouseholdDto {
  @ApiProperty({ description: 'calendar date YYYY-MM-DD', example: '2026-12-01' })
  @IsISO8601({ strict: true, strictSeparator: true })
  leftOn!: string;
}

export class HouseholdMemberDto {
  @ApiProperty() personId!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty() joinedOn!: string;
  @ApiPropertyOptional({ nullable: true }) leftOn!: string | null;
}

export class HouseholdDto {
  @ApiProperty() id!: string;
  @ApiProperty() katottg!: string;
  @ApiPropertyOptional({ nullable: true }) address!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [HouseholdMemberDto] }) members!: HouseholdMemberDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class HouseholdListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsKatottg() katottg?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() personId?: string;
}

export class HouseholdPageDto {
  @ApiProperty({ type: [HouseholdDto] }) items!: HouseholdDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
