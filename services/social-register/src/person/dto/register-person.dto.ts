import { IsKatottg, IsRnokpp, IsUaIban, IsUnzr } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Trims a string (a name of spaces only becomes empty and is refused by IsNotEmpty). */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export const POSTCODE = /^[0-9]{5}$/;

/** A payment account: by bank transfer to an IBAN or by post to the recipient's address. */
export class PaymentAccountDto {
  @ApiProperty({ enum: ['bank', 'post'] }) method!: 'bank' | 'post';
  @ApiPropertyOptional({ description: 'for bank' }) iban?: string;
  @ApiPropertyOptional({ description: 'for post' }) postcode?: string;
}

export class RegisterPersonDto {
  @ApiPropertyOptional({ description: 'РНОКПП, 10 digits with check digit', example: '1759013776' })
  @IsOptional()
  @IsRnokpp()
  rnokpp?: string;

  @ApiPropertyOptional({ description: 'УНЗР, YYYYMMDD-NNNNN', example: '19900517-01234' })
  @IsOptional()
  @IsUnzr()
  unzr?: string;

  @ApiProperty({ example: 'Шевченко', description: 'trimmed; not blank' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastName!: string;
  @ApiProperty({ example: 'Олена', description: 'trimmed; not blank' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  firstName!: string;
  @ApiPropertyOptional({ example: 'Іванівна', description: 'trimmed; not blank when given' })
  @Trim()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  patronymic?: string;

  @ApiProperty({ description: 'calendar date YYYY-MM-DD', example: '1990-05-17' })
  @IsISO8601({ strict: true, strictSeparator: true })
  birthDate!: string;

  @ApiProperty({ enum: ['male', 'female'] }) @IsIn(['male', 'female']) sex!: 'male' | 'female';

  @ApiPropertyOptional({ description: 'КАТОТТГ of the registered address', example: 'UA80000000000093317' })
  @IsOptional()
  @IsKatottg()
  katottg?: string;

  @ApiPropertyOptional({ description: 'registered address (text)' }) @IsOptional() @IsString() @MaxLength(500) registeredAddress?: string;
  @ApiPropertyOptional({ description: 'actual address (text)' }) @IsOptional() @IsString() @MaxLength(500) actualAddress?: string;
  @ApiPropertyOptional({ description: 'КАТОТТГ of the actual address', example: 'UA80000000000093317' })
  @IsOptional()
  @IsKatottg()
  actualKatottg?: string;
  @ApiPropertyOptional({ example: '+380501234567' })
  @IsOptional()
  @Matches(/^\+?[0-9]{9,15}$/, { message: 'phone: must be 9–15 digits, optionally with +' })
  phone?: string;
  @ApiPropertyOptional({ example: 'olena@example.com' }) @IsOptional() @IsEmail() @MaxLength(200) email?: string;
  @ApiPropertyOptional({
    description:
      'proposed bank account, UA IBAN (mod-97 checked): not set on the record but opened as a change request (accountChangeRequestId) that a second person approves',
    example: 'UA213223130000026007233566001',
  })
  @IsOptional()
  @IsUaIban()
  iban?: string;
  @ApiPropertyOptional({ description: 'proposed postcode for payment through the post (as iban: a change request)', example: '01001' })
  @IsOptional()
  @Matches(POSTCODE, { message: 'paymentPostcode: must be 5 digits' })
  paymentPostcode?: string;
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
  @ApiPropertyOptional({ nullable: true }) registeredAddress!: string | null;
  @ApiPropertyOptional({ nullable: true }) actualAddress!: string | null;
  @ApiPropertyOptional({ nullable: true }) actualKatottg!: string | null;
  @ApiPropertyOptional({ nullable: true }) phone!: string | null;
  @ApiPropertyOptional({ nullable: true }) email!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'approved bank account' }) iban!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'approved postcode for post delivery' }) paymentPostcode!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: PaymentAccountDto,
    description: 'the approved payment account: bank when an IBAN is held, else post; null when none',
  })
  paymentAccount!: PaymentAccountDto | null;
  @ApiPropertyOptional({ nullable: true, description: 'set when this record was merged into another (the surviving record)' }) mergedInto!:
    string | null;
  @ApiProperty() version!: number;
}

export class RegisteredPersonDto extends PersonDto {
  @ApiPropertyOptional({ nullable: true, description: 'a duplicate review opened for a probable duplicate (same name and birth date)' })
  duplicateReviewId!: string | null;
  @ApiProperty({ type: [String], description: 'ids of probable duplicates' }) probableDuplicateIds!: string[];
  @ApiPropertyOptional({
    nullable: true,
    description: 'the pending change request for the payment account given (iban / paymentPostcode); decided by a second person',
  })
  accountChangeRequestId!: string | null;
}
