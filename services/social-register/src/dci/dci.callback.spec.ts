import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SocialRegisterConfig } from '../config/config';
import { postJson } from './dci-address';
import { DciCallbackCredentials, DciRegisterKey, normaliseBaseUri } from './dci.callback';
import { verifyEnvelope } from './dci-signature';

const base = { NODE_ENV: 'test', DCI_SIGNING_KEY_ID: 'k-test', DCI_CALLBACK_TIMEOUT_MS: 2000 } as unknown as SocialRegisterConfig;

describe('DCI callback client parts', () => {
  it('obtains a bearer token for each client (resource = its origin) with the client-credentials grant and caches it per client', async () => {
    const seen: { auth?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: `tok-${seen.length}`, token_type: 'Bearer', expires_in: 300 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
      const creds = new DciCallbackCredentials({
        ...base,
        DCI_CALLBACK_TOKEN_URL: url,
        DCI_CALLBACK_CLIENT_ID: 'social-register',
        DCI_CALLBACK_CLIENT_SECRET: 's3cret',
      });
      expect(await creds.authorization('https://a.example.org')).toBe('Bearer tok-1');
      expect(await creds.authorization('https://a.example.org')).toBe('Bearer tok-1');
      expect(await creds.authorization('https://b.example.org')).toBe('Bearer tok-2');
      const basic = `Basic ${Buffer.from('social-register:s3cret').toString('base64')}`;
      expect(seen).toEqual([
        { auth: basic, body: `grant_type=client_credentials&resource=${encodeURIComponent('https://a.example.org')}` },
        { auth: basic, body: `grant_type=client_credentials&resource=${encodeURIComponent('https://b.example.org')}` },
      ]);
    } finally {
      server.close();
    }
    expect(
      await new DciCallbackCredentials({ ...base, DCI_CALLBACK_AUTHORIZATION: 'Bearer static' }).authorization('https://a.example.org'),
    ).toBe('Bearer static');
  });

  it('signs with the development key outside production only', () => {
    const key = new DciRegisterKey(base);
    const signed = key.sign({ header: { a: 1 }, message: { b: 2 } }, new Date());
    expect(
      verifyEnvelope(signed, signed.signature, { senderId: 'social-register', keyId: 'k-test', publicKey: key.publicKey }, new Date()),
    ).toBeNull();
    expect(() => new DciRegisterKey({ ...base, NODE_ENV: 'production' })).toThrow(/required in production/);
  });

  it('refuses private destinations unless allowed and never follows a redirect', async () => {
    const server = createServer((_req, res) => res.writeHead(301, { location: 'http://example.org/' }).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      expect(await postJson(`http://127.0.0.1:${port}/x`, '{}', {}, { allowPrivate: false, timeoutMs: 2000 })).toMatchObject({
        ok: false,
        status: null,
        error: expect.stringMatching(/private/),
      });
      expect(await postJson(`http://localhost:${port}/x`, '{}', {}, { allowPrivate: false, timeoutMs: 2000 })).toMatchObject({
        ok: false,
        status: null,
        error: expect.stringMatching(/private/),
      });
      expect(await postJson(`http://127.0.0.1:${port}/x`, '{}', {}, { allowPrivate: true, timeoutMs: 2000 })).toEqual({
        ok: false,
        status: 301,
        error: 'redirect 301 not followed',
      });
    } finally {
      server.close();
    }
  });

  it('normalises a DCI base URL', () => {
    expect(normaliseBaseUri('HTTPS://Example.ORG:443/dci//')).toBe('https://example.org/dci');
    expect(normaliseBaseUri('https://u:p@example.org/')).toBeNull();
    expect(normaliseBaseUri('https://example.org/?q=1')).toBeNull();
  });
});
