import type { EventContract } from '@eisss/contracts';

export const EVENT_CONSUMER_METADATA = 'eisss:event-consumer';
export const EVENT_HANDLER_METADATA = 'eisss:event-handler';

/**
 * Marks a provider as one Kafka consumer group (`<consumer>.<purpose>`, e.g. `social-processing.person-projection`).
 * Its `@OnEvent` methods receive `(event, tx)` and run inside the inbox transaction.
 */
export function EventConsumer(groupId: string): ClassDecorator {
  return (target) => Reflect.defineMetadata(EVENT_CONSUMER_METADATA, groupId, target);
}

/** The method handles each of the contracts (one method may serve several events that it treats alike). */
export function OnEvent(...contracts: [EventContract, ...EventContract[]]): MethodDecorator {
  return (target, key) => Reflect.defineMetadata(EVENT_HANDLER_METADATA, contracts, target, key);
}
