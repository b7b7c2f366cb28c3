import type { EventContract } from './envelope';
import { PersonDataReadEvents } from './events/audit.events';
import { CaseManagementEvents } from './events/case-management.events';
import { EBudgetEvents } from './events/e-budget.events';
import { InboundEvents } from './events/inbound.events';
import { PaymentsTreasuryEvents } from './events/payments-treasury.events';
import { SocialProcessingEvents } from './events/social-processing.events';
import { SocialRegisterEvents } from './events/social-register.events';
import { VerificationEvents } from './events/verification.events';

/**
 * The event catalogue: every topic the system produces or consumes. Topic names are contracts:
 * never rename one; a breaking change is a new `.v<N+1>` contract published beside the old one.
 */
export const EventCatalogue: readonly EventContract[] = [
  ...SocialRegisterEvents,
  ...SocialProcessingEvents,
  ...VerificationEvents,
  ...EBudgetEvents,
  ...PaymentsTreasuryEvents,
  ...CaseManagementEvents,
  ...InboundEvents,
  ...PersonDataReadEvents,
];

export function contractForTopic(topic: string): EventContract | undefined {
  return EventCatalogue.find((c) => c.topic === topic);
}
