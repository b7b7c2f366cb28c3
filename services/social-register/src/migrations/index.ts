import { dualControlMigration, platformTablesMigration, type MigrationClass } from '@eisss/platform';
import { Person1763900000100 } from './1763900000100-person';
import { RegisterCore1763900000200 } from './1763900000200-register-core';
import { SocialServices1763900000900 } from './1763900000900-social-services';
import { PaymentAccount1763900001100 } from './1763900001100-payment-account';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [
  platformTablesMigration('social_register', 'PlatformTables1763900000000'),
  Person1763900000100,
  RegisterCore1763900000200,
  SocialServices1763900000900,
  dualControlMigration('social_register', 'DualControl1763900001000'),
  PaymentAccount1763900001100,
];
