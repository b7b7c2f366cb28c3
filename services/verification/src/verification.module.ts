import { PLATFORM_CONFIG } from '@eisss/platform';
import { Module } from '@nestjs/common';
import { ChecksConsumer } from './checks/checks.consumer';
import { ChecksController } from './checks/checks.controller';
import { ChecksRepository } from './checks/checks.repository';
import { ChecksService } from './checks/checks.service';
import { CURRENT_RUN_PAGE_SIZE } from './checks/checks.tokens';
import type { VerificationConfig } from './config/config';
import { FactsConsumer } from './facts/facts.consumer';
import { FactsRepository } from './facts/facts.repository';
import { FindingsController } from './findings/findings.controller';
import { FindingsRepository } from './findings/findings.repository';
import { FindingsService } from './findings/findings.service';
import { HttpRegisterPullAdapter, REGISTER_PULL_ADAPTERS, type RegisterPullAdapter } from './pull/register-pull.adapter';
import { RecipientsConsumer } from './recipients/recipients.consumer';
import { RecipientsRepository } from './recipients/recipients.repository';
import { RulesController } from './rules/rules.controller';
import { RulesRepository } from './rules/rules.repository';
import { RulesService } from './rules/rules.service';

export function pullAdaptersFrom(config: VerificationConfig): RegisterPullAdapter[] {
  if (!config.VERIFICATION_PULL_BASE_URL) return [];
  return [
    new HttpRegisterPullAdapter({
      name: 'registers-gateway',
      baseUrl: config.VERIFICATION_PULL_BASE_URL,
      timeoutMs: config.VERIFICATION_PULL_TIMEOUT_MS,
      retries: config.VERIFICATION_PULL_RETRIES,
      retryBaseMs: config.VERIFICATION_PULL_RETRY_BASE_MS,
      breaker: { failureThreshold: config.VERIFICATION_PULL_BREAKER_FAILURES, cooldownMs: config.VERIFICATION_PULL_BREAKER_COOLDOWN_MS },
    }),
  ];
}

/** Facts from other registers, the recipients list, checks (preventive, current, retrospective), findings and the rule table. */
@Module({
  controllers: [ChecksController, FindingsController, RulesController, ChecksConsumer, FactsConsumer, RecipientsConsumer],
  providers: [
    {
      provide: CURRENT_RUN_PAGE_SIZE,
      inject: [PLATFORM_CONFIG],
      useFactory: (c: VerificationConfig) => c.VERIFICATION_CURRENT_RUN_PAGE_SIZE,
    },
    { provide: REGISTER_PULL_ADAPTERS, inject: [PLATFORM_CONFIG], useFactory: pullAdaptersFrom },
    FactsRepository,
    RecipientsRepository,
    RulesRepository,
    RulesService,
    FindingsRepository,
    ChecksRepository,
    ChecksService,
    FindingsService,
  ],
})
export class VerificationModule {}
