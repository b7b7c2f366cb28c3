import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of social-processing beyond the platform's (see BaseConfigSchema). */
export const SocialProcessingConfigSchema = Type.Object({
  // Payment accounts (libs/platform/src/crypto/payment-seal.ts, checked at start-up by PaymentSealing.fromConfig: development keys outside production only).
  SEAL_FOR_REGISTER: Type.Optional(
    Type.String({
      description:
        "the social register's public EC P-256 JWK (JSON, with kid): an IBAN typed into an application is sealed for it at once; required in production",
    }),
  ),
  SEAL_FOR_TREASURY: Type.Optional(
    Type.String({
      description:
        "the treasury's public EC P-256 JWK (JSON, with kid): used only by the migration that seals accounts stored before events carried them sealed (PaymentsSealed1764700000000); required in production when that migration runs",
    }),
  ),
});
export type SocialProcessingConfig = BaseConfig & Static<typeof SocialProcessingConfigSchema>;
