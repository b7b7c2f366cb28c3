import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../shared/page.dto';
import { AdjustmentService } from './adjustment.service';

export class AdjustmentQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() assignmentId?: string;
  @ApiPropertyOptional({ enum: ['arrears', 'overpayment'] }) @IsOptional() @IsIn(['arrears', 'overpayment']) kind?: string;
  @ApiPropertyOptional({ description: 'only not yet settled / recovered' }) @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() open?: boolean;
}

export class AdjustmentDto {
  @ApiProperty() id!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty() recipientPersonId!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty({ description: 'the month the difference concerns' }) month!: string;
  @ApiProperty({ enum: ['arrears', 'overpayment'] }) kind!: string;
  @ApiProperty() amountKopiyky!: string;
  @ApiProperty({ description: 'paid (arrears) or recovered (overpayment) so far' }) settledKopiyky!: string;
  @ApiProperty({ description: 'recipient agreed to a recovery above the 20 % limit' }) voluntary!: boolean;
  @ApiProperty() explanation!: string;
}

export class AdjustmentPageDto {
  @ApiProperty({ type: [AdjustmentDto] }) items!: AdjustmentDto[];
  @ApiProperty() total!: number;
}

export class VoluntaryReturnDto {
  @ApiProperty({ example: '50000', description: 'kopiyky returned by the recipient' }) @Matches(/^[1-9][0-9]{0,14}$/) amountKopiyky!: string;
}

@ApiTags('adjustments')
@ApiBearerAuth()
@Controller('adjustments')
export class AdjustmentController {
  constructor(private readonly adjustments: AdjustmentService) {}

  @Get()
  @Roles('treasurer')
  @ApiOkResponse({ type: AdjustmentPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() q: AdjustmentQueryDto): Promise<AdjustmentPageDto> {
    return this.adjustments.list(principal, { assignmentId: q.assignmentId, kind: q.kind, open: q.open, limit: q.limit ?? 50, offset: q.offset ?? 0 });
  }

  @Post(':id/voluntary-consent')
  @HttpCode(200)
  @Roles('treasurer')
  @ApiOkResponse({ type: AdjustmentDto, description: 'deductions may then take up to the whole monthly amount' })
  @ApiConflictResponse({ description: 'ADJUSTMENT_NOT_OVERPAYMENT, ADJUSTMENT_SETTLED' })
  consent(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AdjustmentDto> {
    return this.adjustments.consent(principal, id);
  }

  @Post(':id/voluntary-return')
  @HttpCode(200)
  @Roles('treasurer')
  @ApiOkResponse({ type: AdjustmentDto })
  voluntaryReturn(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: VoluntaryReturnDto): Promise<AdjustmentDto> {
    return this.adjustments.voluntaryReturn(principal, id, BigInt(body.amountKopiyky));
  }
}
