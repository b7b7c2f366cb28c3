import { auditTrailMigration, dualControlMigration, platformTablesMigration, type MigrationClass } from '@eisss/platform';
import { Person1763900000100 } from './1763900000100-person';
import { RegisterCore1763900000200 } from './1763900000200-register-core';
import { SocialServices1763900000900 } from './1763900000900-social-services';
import { PaymentAccount1763900001100 } from './1763900001100-payment-account';
import { DciClients1764200000000 } from './1764200000000-dci-clients';
import { PersonPiiEncrypted1764300000000 } from './1764300000000-person-pii-encrypted';
import { ServiceSessions1764400000000 } from './1764400000000-service-sessions';
import { PiiDataKeyDeactivatedAt1764500000000 } from './1764500000000-pii-data-key-deactivated-at';
import { DciDocumentsSealed1764600000000 } from './1764600000000-dci-documents-sealed';
import { DciPurposeAttributes1764800000000 } from './1764800000000-dci-purpose-attributes';
import { DciCallbackTargets1764800000100 } from './1764800000100-dci-callback-targets';
import { IntakeLocks1765100000000 } from './1765100000000-intake-locks';
import { MigrationImport1765200000000 } from './1765200000000-migration-import';
import { ImportLegacyDateInline1765300000000 } from './1765300000000-import-legacy-date-inline';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [
  platformTablesMigration('social_register', 'PlatformTables1763900000000'),
  Person1763900000100,
  RegisterCore1763900000200,
  SocialServices1763900000900,
  dualControlMigration('social_register', 'DualControl1763900001000'),
  PaymentAccount1763900001100,
  auditTrailMigration('social_register', 'AuditTrail1764100000000'),
  DciClients1764200000000,
  PersonPiiEncrypted1764300000000,
  ServiceSessions1764400000000,
  PiiDataKeyDeactivatedAt1764500000000,
  DciDocumentsSealed1764600000000,
  DciPurposeAttributes1764800000000,
  DciCallbackTargets1764800000100,
  IntakeLocks1765100000000,
  MigrationImport1765200000000,
  ImportLegacyDateInline1765300000000,
];
