import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Callbacks to the URL the sender gives (issue 11): a DCI client may register a separate notify URI
 * (`dci_client.notify_uri`, a full URL; without it notifications go to `<callback_uri>/registry/notify`);
 * each queued callback records whether its URL was given by the sender (`header.sender_uri`, checked
 * again against the registration at delivery) or is the registered default (recomputed at delivery);
 * and the async transaction status is answered on its own endpoint (`on-status`, /registry/txn/on-status).
 */
export class DciCallbackTargets1764800000100 implements MigrationInterface {
  name = 'DciCallbackTargets1764800000100';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `ALTER TABLE social_register.dci_client ADD COLUMN notify_uri text`,
      `ALTER TABLE social_register.dci_callback ADD COLUMN url_given boolean NOT NULL DEFAULT false`,
      `ALTER TABLE social_register.dci_callback DROP CONSTRAINT dci_callback_endpoint_check`,
      `ALTER TABLE social_register.dci_callback ADD CONSTRAINT dci_callback_endpoint_check CHECK (endpoint IN ('on-search', 'on-subscribe', 'on-unsubscribe', 'on-status', 'notify'))`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DELETE FROM social_register.dci_callback WHERE endpoint = 'on-status'`,
      `ALTER TABLE social_register.dci_callback DROP CONSTRAINT dci_callback_endpoint_check`,
      `ALTER TABLE social_register.dci_callback ADD CONSTRAINT dci_callback_endpoint_check CHECK (endpoint IN ('on-search', 'on-subscribe', 'on-unsubscribe', 'notify'))`,
      `ALTER TABLE social_register.dci_callback DROP COLUMN url_given`,
      `ALTER TABLE social_register.dci_client DROP COLUMN notify_uri`,
    ]);
  }
}
