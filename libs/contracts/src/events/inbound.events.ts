/** Inbound facts from other state registers (civil registration, border crossings, incomes, …). */
import type { EventContract } from '../envelope';

export const InboundEvents: EventContract[] = [];
