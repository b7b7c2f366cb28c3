import { IsKatottg, IsRnokpp, IsUnzr } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class RegisterPersonDto {
  @ApiPropertyOptional({ description: 'РНОКПП, 10 digits with check digit', example: '1759013776' })
  @IsOptional()
  @IsRnokpp()
  rnokpp?: string;

  @ApiPropertyOptional({ description: 'УНЗР, YYYYMMDD-NNNNN', example: '19900517-01234' })
  @IsOptional()
  @IsUnzr()
  unzr?: string;

  @ApiProperty({ example: 'Шевченко' }) @IsString() @IsNotEmpty() @MaxLength(100) lastName!: string;
  @ApiProperty({ example: 'Олена' }) @IsString() @IsNotEmpty() @MaxLength(100) firstName!: string;
  @ApiPropertyOptional({ example: 'Іванівна' }) @IsOptional() @IsString() @MaxLength(100) patronymic?: string;

  @ApiProperty({ description: 'calendar date YYYY-MM-DD', example: '1990-05-17' })
  @IsISO8601({ strict: true, strictSeparator: true })
  birthDate!: string;

  @ApiProperty({ enum: ['male', 'female'] }) @IsIn(['male', 'female']) sex!: 'male' | 'female';

  @ApiPropertyOptional({ description: 'КАТОТТГ of the registered address', example: 'UA80000000000093317' })
  @IsOptional()
  @IsKatottg()
  katottg?: string;
}

export class PersonDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true }) rnokpp!: string | null;
  @ApiPropertyOptional({ nullable: true }) unzr!: string | null;
  @ApiProperty() lastName!: string;
  @ApiProperty() firstName!: string;
  @ApiPropertyOptional({ nullable: true }) patronymic!: string | null;
  @ApiProperty() birthDate!: string;
  @ApiProperty() sex!: string;
  @ApiPropertyOptional({ nullable: true }) deathDate!: string | null;
  @ApiPropertyOptional({ nullable: true }) katottg!: string | null;
  @ApiProperty() version!: number;
}
