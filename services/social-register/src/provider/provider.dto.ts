import { IsKatottg, PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ProviderTypes } from './provider.repository';

export class CreateProviderDto {
  @ApiProperty({ description: 'registry code (e.g. ЄДРПОУ or an internal code)', example: '12345678' })
  @Matches(/^[A-Za-z0-9-]{2,40}$/)
  code!: string;
  @ApiProperty({ example: 'Управління соціального захисту населення Шевченківського району' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;
  @ApiProperty({ enum: ProviderTypes }) @IsIn(ProviderTypes as unknown as string[]) type!: string;
  @ApiProperty({ example: 'UA80000000000093317' }) @IsKatottg() katottg!: string;
}

export class UpdateProviderDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(300) name?: string;
  @ApiPropertyOptional({ enum: ProviderTypes }) @IsOptional() @IsIn(ProviderTypes as unknown as string[]) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsKatottg() katottg?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class ProviderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ProviderTypes }) @IsOptional() @IsIn(ProviderTypes as unknown as string[]) type?: string;
  @ApiPropertyOptional({ description: 'КАТОТТГ prefix' }) @IsOptional() @Matches(/^UA[0-9]{0,17}$/) katottg?: string;
  @ApiPropertyOptional({ description: 'text in name or code' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class ProviderDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ProviderTypes }) type!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ProviderPageDto {
  @ApiProperty({ type: [ProviderDto] }) items!: ProviderDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
