import { sealProposal, sealRecipientFromConfig, type PlainAccount, type ProposedAccount, type SealingRecipient } from '@eisss/platform';
import type { SocialProcessingConfig } from '../config/config';

/**
 * Processing never keeps a plain IBAN: an account typed into an application is sealed for the register
 * at once (SEAL_FOR_REGISTER), and only its masked and sealed form is stored and sent. Accounts from the
 * register arrive sealed for the treasury and are carried on as they are.
 */
export class PaymentSealing {
  constructor(private readonly register: SealingRecipient) {}

  /**
   * From configuration; throws on a bad key (a development key in production, a private key, not
   * P-256…), so that start-up fails. SEAL_FOR_TREASURY, used only by the migration of stored rows, is
   * checked here too when it is set.
   */
  static fromConfig(config: Pick<SocialProcessingConfig, 'NODE_ENV' | 'SEAL_FOR_REGISTER' | 'SEAL_FOR_TREASURY'>): PaymentSealing {
    const register = sealRecipientFromConfig('SEAL_FOR_REGISTER', config.SEAL_FOR_REGISTER, 'social-register', config.NODE_ENV);
    if (config.SEAL_FOR_TREASURY?.trim())
      sealRecipientFromConfig('SEAL_FOR_TREASURY', config.SEAL_FOR_TREASURY, 'payments-treasury', config.NODE_ENV);
    return new PaymentSealing(register);
  }

  /** A proposed account as processing keeps and sends it: the IBAN masked and sealed for the register. */
  proposal(plain: PlainAccount): Promise<ProposedAccount> {
    return sealProposal(this.register, plain);
  }
}
