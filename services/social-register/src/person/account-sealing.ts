import {
  DomainError,
  PLATFORM_CONFIG,
  PiiCryptoError,
  accountRefKey,
  maskIban,
  piiKeysFromConfig,
  openAccount,
  sealAccount,
  sealOpenerFromConfig,
  sealPayee,
  sealRecipientFromConfig,
  type PlainAccount,
  type PlainPayee,
  type ProposedAccount,
  type SealedAccount,
  type SealedHolder,
  type SealedValueOpener,
  type SealingRecipient,
} from '@eisss/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { SocialRegisterConfig } from '../config/config';
import { PersonErrorCode } from './person.errors';

export interface AccountSealingKeys {
  /** The treasury's public key: published IBANs and holder identifiers are sealed to it. */
  treasury: SealingRecipient;
  /** The register's private keys: they open IBANs that applications propose. */
  opener: SealedValueOpener;
  /** The key of the account and identity references (from PII_HMAC_KEY: the same IBAN always gives the same reference). */
  refKey: Buffer;
}

type SealingEnv = Pick<SocialRegisterConfig, 'NODE_ENV' | 'SEAL_FOR_TREASURY' | 'SEAL_KEYS' | 'PII_MASTER_KEYS' | 'PII_HMAC_KEY'>;

/** The keys from configuration; throws (and so fails start-up) on a malformed key, a missing one in production, or a development key there. */
export function accountSealingKeys(env: SealingEnv): AccountSealingKeys {
  return {
    treasury: sealRecipientFromConfig('SEAL_FOR_TREASURY', env.SEAL_FOR_TREASURY, 'payments-treasury', env.NODE_ENV),
    opener: sealOpenerFromConfig('SEAL_KEYS', env.SEAL_KEYS, 'social-register', env.NODE_ENV),
    refKey: accountRefKey(piiKeysFromConfig(env).hmacKey),
  };
}

/**
 * Payment accounts across the register's boundary: the approved account and its holder leave sealed
 * for the treasury (PersonPaymentAccountChangedV2); an account an application proposes arrives sealed
 * for the register (ApplicationPaymentAccountProposedV2) and is opened here.
 */
@Injectable()
export class AccountSealing {
  private readonly keys: AccountSealingKeys;

  constructor(@Inject(PLATFORM_CONFIG) config: SocialRegisterConfig) {
    this.keys = accountSealingKeys(config);
  }

  /** The account (null: none) and its holder as the account event carries them. */
  async forTreasury(account: PlainAccount | null, holder: PlainPayee): Promise<{ account: SealedAccount | null; holder: SealedHolder }> {
    const { treasury, refKey } = this.keys;
    return { account: account ? await sealAccount(treasury, refKey, account) : null, holder: await sealPayee(treasury, refKey, holder) };
  }

  /**
   * The proposed account in the clear. A proposal that does not open (sealed to another key, tampered
   * with, another field's value) or whose masked IBAN is not the sealed one is refused for good
   * (unprocessable: the consumer sends it to the dead-letter topic with this code).
   */
  async openProposal(proposed: ProposedAccount): Promise<PlainAccount> {
    let account: PlainAccount;
    try {
      account = await openAccount(this.keys.opener, proposed);
    } catch (err) {
      if (!(err instanceof PiiCryptoError)) throw err;
      throw DomainError.unprocessable(
        PersonErrorCode.PAYMENT_ACCOUNT_SEAL_INVALID,
        `the proposed IBAN does not open: ${err.message} (${err.code})`,
        'account.ibanSealed',
      );
    }
    if (proposed.method === 'bank' && account.method === 'bank' && maskIban(account.iban) !== proposed.ibanMasked) {
      throw DomainError.unprocessable(
        PersonErrorCode.PAYMENT_ACCOUNT_SEAL_INVALID,
        'the masked IBAN of the proposal is not the sealed one',
        'account.ibanMasked',
      );
    }
    return account;
  }
}
