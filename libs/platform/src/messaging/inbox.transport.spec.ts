import { PersonDiedV1, type EventEnvelope } from '@eisss/contracts';
import type { MessageHandler } from '@nestjs/microservices';
import type { InboxMessage } from './inbox.consumer';
import { InboxTransport, inboxGroup } from './inbox.transport';

/** A handler as Nest's ListenersController builds it: calling it also calls the handler chained after it (`next`). */
function nestEventHandler(name: string, calls: string[]): MessageHandler {
  const handler = (async (event: unknown) => {
    calls.push(name);
    if (handler.next) await handler.next(event);
  }) as MessageHandler;
  return handler;
}

describe(InboxTransport.name, () => {
  const host = { startConsumers: async () => undefined, stopConsumers: async () => undefined };
  const event = { eventId: 'e-1' } as EventEnvelope;
  const message = {} as InboxMessage;

  it('gives each consumer group its own handler of a topic, and calling it runs that handler only', async () => {
    const transport = new InboxTransport(host);
    const calls: string[] = [];
    transport.addHandler(PersonDiedV1.topic, nestEventHandler('projection', calls), true, inboxGroup('svc.projection'));
    transport.addHandler(PersonDiedV1.topic, nestEventHandler('recalculation', calls), true, inboxGroup('svc.recalculation'));
    const groups = transport.groups();
    expect([...groups.keys()]).toEqual(['svc.projection', 'svc.recalculation']);
    await groups.get('svc.projection')![0]!.handle(event, message);
    expect(calls).toEqual(['projection']);
    await groups.get('svc.recalculation')![0]!.handle(event, message);
    expect(calls).toEqual(['projection', 'recalculation']);
    // Asked again (the lifecycle may), the same registrations.
    expect(transport.groups()).toBe(groups);
  });
});
