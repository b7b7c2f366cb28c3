import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID } from 'class-validator';
import { LedgerService } from './ledger.service';

export class LedgerQueryDto {
  @ApiProperty() @IsUUID() recipientPersonId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() programmeCode!: string;
}

export class LedgerViewDto {
  @ApiProperty() recipientPersonId!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty({ description: 'account → balance in kopiyky (debit +, credit −): accrued, payable, paid, returned, overpaid, recovered' }) balances!: Record<string, string>;
  @ApiProperty() reconciled!: boolean;
  @ApiProperty({ type: [String] }) problems!: string[];
}

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('balances')
  @Roles('treasurer')
  @ApiOkResponse({ type: LedgerViewDto })
  balances(@CurrentPrincipal() principal: Principal, @Query() q: LedgerQueryDto): Promise<LedgerViewDto> {
    return this.ledger.view(principal, q.recipientPersonId, q.programmeCode);
  }

  @Get('check')
  @Roles('treasurer')
  @ApiOkResponse({ description: 'unbalanced entries and recipient/programme pairs that do not reconcile (both empty when healthy)' })
  check() {
    return this.ledger.check();
  }
}
