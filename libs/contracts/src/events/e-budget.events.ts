/** Events e-budget publishes (add new contracts here). */
import type { EventContract } from '../envelope';

export const EBudgetEvents: EventContract[] = [];
