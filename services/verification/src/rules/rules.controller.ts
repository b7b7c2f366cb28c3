import { Role } from '@eisss/contracts';
import { Roles } from '@eisss/platform';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RulesService } from './rules.service';

export class RuleParameterDto {
  @ApiProperty({ example: 'abroad' }) ruleId!: string;
  @ApiProperty({ example: '2023-08-01' }) effectiveFrom!: string;
  @ApiPropertyOptional({ nullable: true, description: 'exclusive' }) effectiveTo!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { maxConsecutiveDays: 30, maxTotalDays: 60, preventive: null, current: { action: 'stop_payment', discretion: 'none' } },
  })
  parameters!: Record<string, unknown>;
  @ApiProperty({ description: 'act and clause' }) legalBasis!: string;
  @ApiPropertyOptional({
    nullable: true,
    description: 'what the search of the current redaction confirmed, where and when (or that it was not confirmed)',
  })
  sourceNote?: string | null;
}

@ApiTags('rules')
@ApiBearerAuth()
@Controller('rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @Roles(Role.Verifier, Role.Supervisor, Role.Officer)
  @ApiOperation({ summary: 'The rule table: parameters of each verification rule with their effective dates and legal basis' })
  @ApiOkResponse({ type: [RuleParameterDto] })
  async list(): Promise<RuleParameterDto[]> {
    return this.rules.list();
  }
}
