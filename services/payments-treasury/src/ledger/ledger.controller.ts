import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID } from 'class-validator';
import { LedgerService } from './ledger.service';

export class LedgerQueryDto {
  @ApiProperty() @IsUUID() recipientPersonId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() programmeCode!: string;
}

export class LedgerViewDto {
  @ApiProperty() recipientPersonId!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty({ description: 'account → balance in kopiyky (debit +, credit −): accrued, payable, paid, returned, overpaid, recovered' })
  balances!: Record<string, string>;
  @ApiProperty() reconciled!: boolean;
  @ApiProperty({ type: [String] }) problems!: string[];
}

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('balances')
  @Roles(Role.Treasurer)
  @ApiOkResponse({ type: LedgerViewDto, description: 'the read is audited' })
  @ApiNotFoundResponse({ description: 'LEDGER_NOT_FOUND: the person has no assignment of the programme in your territory' })
  balances(@CurrentPrincipal() principal: Principal, @Query() q: LedgerQueryDto): Promise<LedgerViewDto> {
    return this.ledger.view(principal, q.recipientPersonId, q.programmeCode);
  }

  @Get('check')
  @Roles(Role.Treasurer)
  @ApiOkResponse({ description: 'unbalanced entries and recipient/programme pairs that do not reconcile (both empty when healthy)' })
  @ApiForbiddenResponse({ description: 'NATIONAL_SCOPE_REQUIRED: the whole ledger' })
  check(@CurrentPrincipal() principal: Principal) {
    return this.ledger.check(principal);
  }
}
