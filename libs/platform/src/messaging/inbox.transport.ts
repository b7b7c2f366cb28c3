import { contractForTopic } from '@eisss/contracts';
import { BaseRpcContext, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { HandlerRegistration, InboxMessage } from './inbox.consumer';

/** What `@EventPattern(Contract.topic, extras)` carries: the consumer group (`<service>.<purpose>`) the handler belongs to. */
export interface InboxPatternExtras {
  group: string;
}

/**
 * The extras of every `@EventPattern` of one consumer group:
 * `const GROUP = inboxGroup('verification.inbound-facts')`, then `@EventPattern(CrvsPersonDiedV1.topic, GROUP)`.
 */
export function inboxGroup(group: string): InboxPatternExtras {
  return { group };
}

/** A handler's `@Ctx()`: where the message came from (the handler already runs inside the inbox transaction). */
export class InboxContext extends BaseRpcContext<[InboxMessage]> {
  get message(): InboxMessage {
    return this.args[0];
  }
  get groupId(): string {
    return this.args[0].groupId;
  }
  get topic(): string {
    return this.args[0].topic;
  }
  get partition(): number {
    return this.args[0].partition;
  }
  get offset(): string {
    return this.args[0].offset;
  }
}

/** What the transport needs from the MessagingLifecycle (which owns the consumers, their shutdown and readiness). */
export interface InboxConsumerHost {
  startConsumers(groups: Map<string, HandlerRegistration[]>): Promise<void>;
  stopConsumers(): Promise<void>;
}

/**
 * The platform's Kafka transport for @nestjs/microservices: every `@EventPattern(Contract.topic, inboxGroup(g))`
 * of the service's controllers becomes a handler of consumer group `g`, run by the platform's InboxConsumer with
 * all its guarantees (envelope and payload schema validation, inbox dedupe in the handler's transaction, offset
 * commit after the DB commit, DLQ with the reason, per-key ordering, capped retries and stall/resume).
 *
 * The handler is called through Nest's RPC pipeline (`@Payload()` is the validated event envelope, `@Ctx()` an
 * InboxContext; guards, interceptors and pipes apply); an error it throws reaches the InboxConsumer unchanged
 * (the PlatformExceptionFilter rethrows in the rpc context), which decides between retry (transient) and DLQ.
 */
export class InboxTransport extends Server implements CustomTransportStrategy {
  private registered?: Map<string, HandlerRegistration[]>;

  constructor(private readonly host: InboxConsumerHost) {
    super();
  }

  /** The consumer groups with their handlers, from the `@EventPattern` handlers Nest registered on this server. */
  groups(): Map<string, HandlerRegistration[]> {
    if (this.registered) return this.registered;
    const groups = new Map<string, HandlerRegistration[]>();
    for (const [pattern, head] of this.getHandlers()) {
      const contract = contractForTopic(pattern);
      if (!contract) throw new Error(`@EventPattern('${pattern}'): no contract in the event catalogue has this topic`);
      const chain: MessageHandler[] = [];
      for (let handler: MessageHandler | undefined = head; handler; handler = handler.next) chain.push(handler);
      // Nest calls a handler's `next` (here: another group's handler of the same topic) whenever the handler is
      // called. Each group calls its own handler only, in its own transaction: unchained.
      for (const handler of chain) handler.next = undefined;
      for (const handler of chain) {
        if (!handler.isEventHandler) throw new Error(`${pattern}: events have no reply; use @EventPattern, not @MessagePattern`);
        const group = (handler.extras as Partial<InboxPatternExtras> | undefined)?.group;
        if (typeof group !== 'string' || group === '') {
          throw new Error(`@EventPattern('${pattern}'): name the consumer group, @EventPattern(topic, inboxGroup('<service>.<purpose>'))`);
        }
        const list = groups.get(group) ?? [];
        const h = handler;
        list.push({ contract, handle: (event, message) => this.invoke(h, event, message) });
        groups.set(group, list);
      }
    }
    this.registered = groups;
    return groups;
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      await this.host.startConsumers(this.groups());
      callback();
    } catch (err) {
      callback(err);
    }
  }

  async close(): Promise<void> {
    await this.host.stopConsumers();
  }

  on(): never {
    throw new Error('InboxTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    throw new Error('InboxTransport has no underlying client; the InboxConsumers own the kafkajs consumers');
  }

  private async invoke(handler: MessageHandler, event: unknown, message: InboxMessage): Promise<void> {
    const result = await handler(event, new InboxContext([message]));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
