import { Role } from '@eisss/contracts';
import type { ServiceApp } from '@eisss/testing';
import { tokenFor } from '@eisss/testing';
import { createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorObject } from 'ajv';
import { DciSpec, type DciCallbackPath } from '../src/dci/dci-spec';
import { signEnvelope, verifyEnvelope } from '../src/dci/dci-signature';

export const admin = tokenFor({ id: 'admin-1', roles: [Role.Admin], territory: 'UA' });

/** The spec's callback path of a body the register sends, by its header.action. */
export const CALLBACK_PATH_OF_ACTION: Record<string, DciCallbackPath> = {
  'on-search': '/registry/on-search',
  'on-subscribe': '/registry/on-subscribe',
  'on-unsubscribe': '/registry/on-unsubscribe',
  notify: '/registry/notify',
  'txn-on-status': '/registry/txn/on-status',
};

export interface Received {
  /** The path (with the query, if any) the callback was posted to, exactly as the register used it. */
  path: string;
  /** The spec's callback path its header.action names (undefined for an unknown action). */
  specPath?: DciCallbackPath;
  /** Errors of the body against paths.<specPath>.post.requestBody (DciSpec.validateCallback); [] when valid. */
  specErrors: ErrorObject[];
  body: any;
  headers: IncomingHttpHeaders;
  /** null when the body's signature holds against the register's key, else why not. */
  signatureProblem: string | null;
}

/** A DCI client system receiving the registry's callbacks; checks each callback's signature with the register's public key. */
export class CallbackServer {
  readonly received: Received[] = [];
  /** The register's published signing key (registerPublicKey). */
  registerKey?: { key: KeyObject; kid: string };
  /** How to answer: 200 ACK by default; a status, or a redirect to another URL. */
  answer: { status: number; location?: string } = { status: 200 };
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<CallbackServer> {
    let self: CallbackServer | undefined; // eslint-disable-line prefer-const -- assigned after the server it is used in
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        const body = JSON.parse(data || 'null');
        const s = self!;
        const problem = !s.registerKey
          ? 'no register key'
          : typeof body?.signature !== 'string'
            ? 'unsigned'
            : verifyEnvelope(
                body,
                body.signature,
                { senderId: 'social-register', keyId: s.registerKey.kid, publicKey: s.registerKey.key },
                new Date(),
              );
        const specPath = CALLBACK_PATH_OF_ACTION[body?.header?.action as string];
        const specErrors = specPath
          ? DciSpec.get().validateCallback(specPath, body)
          : [{ instancePath: '/header/action', message: 'not a DCI callback action' } as ErrorObject];
        s.received.push({ path: req.url ?? '', specPath, specErrors, body, headers: req.headers, signatureProblem: problem });
        if (s.answer.location) res.writeHead(s.answer.status, { location: s.answer.location }).end();
        else
          res
            .writeHead(s.answer.status, { 'content-type': 'application/json' })
            .end(JSON.stringify({ message: { ack_status: 'ACK', timestamp: new Date().toISOString(), correlation_id: 'x' } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new CallbackServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  /** The callbacks posted to exactly this path. */
  on(path: string) {
    return this.received.filter((r) => r.path === path);
  }

  /** Every path a callback arrived at, in order. */
  paths(): string[] {
    return this.received.map((r) => r.path);
  }

  /** The callbacks of one action (header.action), wherever they arrived. */
  ofAction(action: string) {
    return this.received.filter((r) => r.body?.header?.action === action);
  }

  /** A full callback URL on this server. */
  at(path: string): string {
    return `${this.url}${path}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A registered DCI client: its token and its signing key. */
export interface TestClient {
  id: string;
  senderId: string;
  token: string;
  keyId: string;
  privateKey: KeyObject;
  /** The envelope with the client's signature over {header}+{message}. */
  sign<T extends { header: unknown; message?: unknown }>(body: T): T & { signature: string };
}

/** Registers a DCI client through the admin API (loopback callbacks need allowPrivateAddress). */
export async function registerClient(
  app: ServiceApp,
  senderId: string,
  callbackUri: string,
  overrides: Record<string, unknown> = {},
  territory = 'UA80',
): Promise<TestClient> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = `${senderId}-key-1`;
  const res = await app
    .http()
    .post('/dci/clients')
    .set('authorization', `Bearer ${admin}`)
    .send({
      senderId,
      name: `Test client ${senderId}`,
      callbackUri,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }),
      keyId,
      allowedActions: ['search', 'subscribe', 'txn-status'],
      maxRecordsPerRequest: 1000,
      maxRecordsPerDay: 100000,
      allowPrivateAddress: true,
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`client registration answered ${res.status}: ${JSON.stringify(res.body)}`);
  return {
    id: res.body.id,
    senderId,
    token: tokenFor({ id: senderId, roles: [Role.System], territory }),
    keyId,
    privateKey,
    sign: (body) => ({ ...body, signature: signEnvelope(body, { id: senderId, keyId, privateKey }, new Date()) }),
  };
}

/** The register's public signing key, as it publishes it. */
export async function registerPublicKey(app: ServiceApp): Promise<{ key: KeyObject; kid: string }> {
  const res = await app.http().get('/dci/register-key').set('authorization', `Bearer ${admin}`);
  if (res.status !== 200) throw new Error(`register-key answered ${res.status}`);
  return { key: createPublicKey({ key: res.body.keys[0], format: 'jwk' }), kid: res.body.keys[0].kid };
}

/** A MsgHeader_V1.0.0 of a request (total_count 1 unless told). */
export function dciHeader(senderId: string, action: string, extra: Record<string, unknown> = {}) {
  return {
    version: '1.0.0',
    message_id: randomUUID(),
    message_ts: new Date().toISOString(),
    action,
    sender_id: senderId,
    total_count: 1,
    ...extra,
  };
}

/** Posts a body signed by the client (as it is when it has no header object) with the client's token. */
export function dciPost(app: ServiceApp, path: string, c: TestClient, body: unknown, opts: { sign?: boolean; token?: string | null } = {}) {
  const b = body as { header?: unknown };
  const signed =
    opts.sign !== false && b && typeof b === 'object' && b.header && typeof b.header === 'object' ? c.sign(b as { header: unknown }) : body;
  const req = app.http().post(path);
  if (opts.token !== null) req.set('authorization', `Bearer ${opts.token ?? c.token}`);
  return req.send(signed as object);
}
