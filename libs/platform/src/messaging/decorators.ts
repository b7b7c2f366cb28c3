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

export function OnEvent(contract: EventContract): MethodDecorator {
  return (target, key) => Reflect.defineMetadata(EVENT_HANDLER_METADATA, contract, target, key);
}
