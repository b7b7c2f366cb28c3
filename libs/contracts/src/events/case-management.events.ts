/** Events case management publishes (add new contracts here). */
import type { EventContract } from '../envelope';

export const CaseManagementEvents: EventContract[] = [];
