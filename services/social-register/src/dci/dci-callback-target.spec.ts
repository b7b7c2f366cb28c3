import { answerUrl, defaultCallbackUrl, deliveryUrl, normaliseCallbackUrl, senderUriProblem } from './dci-callback-target';

// MsgHeader_V1.0.0.sender_uri: "sender url to accept callbacks" (example https://spmis.example.org/{namespace}/callback/on-search);
// "Default uri is assumed to be configured on the gateway as part of sender/receiver onboarding".
describe('DCI callback targets', () => {
  const client = { callbackUri: 'https://spmis.example.org/dci', notifyUri: null };

  it('posts to header.sender_uri exactly as given (MsgHeader_V1.0.0.sender_uri is the full callback URL)', () => {
    expect(answerUrl(client, 'on-search', 'https://spmis.example.org/dci/ns/callback/on-search')).toEqual({
      url: 'https://spmis.example.org/dci/ns/callback/on-search',
      given: true,
    });
    expect(answerUrl(client, 'on-status', 'HTTPS://SPMIS.example.org:443/dci/status')).toEqual({
      url: 'https://spmis.example.org/dci/status',
      given: true,
    });
  });

  it('without sender_uri, answers at the registered base + the spec’s callback path (paths /registry/on-search … /registry/txn/on-status, /registry/notify)', () => {
    expect(answerUrl(client, 'on-search', undefined)).toEqual({ url: 'https://spmis.example.org/dci/registry/on-search', given: false });
    expect(defaultCallbackUrl(client, 'on-subscribe')).toBe('https://spmis.example.org/dci/registry/on-subscribe');
    expect(defaultCallbackUrl(client, 'on-unsubscribe')).toBe('https://spmis.example.org/dci/registry/on-unsubscribe');
    expect(defaultCallbackUrl(client, 'on-status')).toBe('https://spmis.example.org/dci/registry/txn/on-status');
    expect(defaultCallbackUrl(client, 'notify')).toBe('https://spmis.example.org/dci/registry/notify');
    expect(defaultCallbackUrl({ ...client, notifyUri: 'https://events.example.org/in/notify' }, 'notify')).toBe(
      'https://events.example.org/in/notify',
    );
  });

  it('accepts a sender_uri only on the registered origin and under its path (segment-wise), or the registered notify URI', () => {
    expect(senderUriProblem(client, 'https://spmis.example.org/dci')).toBeNull();
    expect(senderUriProblem(client, 'https://spmis.example.org/dci/')).toBeNull();
    expect(senderUriProblem(client, 'https://spmis.example.org/dci/x/callback/on-search')).toBeNull();
    expect(senderUriProblem(client, 'https://spmis.example.org/dcix/on-search')).toMatch(/not under the callback path/);
    expect(senderUriProblem(client, 'https://spmis.example.org/other/on-search')).toMatch(/not under/);
    expect(senderUriProblem(client, 'https://spmis.example.org/dci/../admin')).toMatch(/not under/);
    expect(senderUriProblem(client, 'https://spmis.example.org/dci/%2e%2e/admin')).toMatch(/not under/);
    expect(senderUriProblem(client, 'https://spmis.example.org/dci/a%2F..%2Fb')).toMatch(/encoded separators/);
    expect(senderUriProblem(client, 'http://spmis.example.org/dci/on-search')).toMatch(/another scheme, host or port/);
    expect(senderUriProblem(client, 'https://spmis.example.org:8443/dci/on-search')).toMatch(/another scheme, host or port/);
    expect(senderUriProblem(client, 'https://attacker.example.org/dci/on-search')).toMatch(/another scheme, host or port/);
    expect(senderUriProblem(client, 'https://u:p@spmis.example.org/dci/on-search')).toMatch(/credentials/);
    expect(senderUriProblem(client, 'https://spmis.example.org/dci/on-search?x=1')).toMatch(/query/);
    expect(senderUriProblem(client, 'https://spmis.example.org/dci/on-search#f')).toMatch(/fragment/);
    expect(senderUriProblem(client, 'ftp://spmis.example.org/dci')).toMatch(/http/);
    expect(senderUriProblem(client, 'not a url')).toMatch(/absolute/);
    expect(
      senderUriProblem({ ...client, notifyUri: 'https://events.example.org/in/notify' }, 'https://events.example.org/in/notify'),
    ).toBeNull();
    expect(
      senderUriProblem({ ...client, notifyUri: 'https://events.example.org/in/notify' }, 'https://events.example.org/in/other'),
    ).not.toBeNull();
    // a base registered at the root covers every path of its origin
    expect(
      senderUriProblem({ callbackUri: 'http://127.0.0.1:8080', notifyUri: null }, 'http://127.0.0.1:8080/anything/on-search'),
    ).toBeNull();
  });

  it('delivers by the registration as it is now: a given URL only while still registered, a default follows a re-pointed client', () => {
    const moved = { callbackUri: 'https://new.example.org/dci', notifyUri: null };
    expect(deliveryUrl(client, { endpoint: 'on-search', url: 'https://spmis.example.org/dci/cb', urlGiven: true })).toBe(
      'https://spmis.example.org/dci/cb',
    );
    expect(deliveryUrl(moved, { endpoint: 'on-search', url: 'https://spmis.example.org/dci/cb', urlGiven: true })).toBeNull();
    expect(deliveryUrl(moved, { endpoint: 'on-search', url: 'https://spmis.example.org/dci/registry/on-search', urlGiven: false })).toBe(
      'https://new.example.org/dci/registry/on-search',
    );
  });

  it('normalises scheme, host and default port, and refuses what is not a plain http(s) URL', () => {
    expect(normaliseCallbackUrl('HTTPS://Example.ORG:443/a/b')).toBe('https://example.org/a/b');
    expect(normaliseCallbackUrl('https://example.org/a?')).toBeNull();
    expect(normaliseCallbackUrl('mailto:x@example.org')).toBeNull();
  });
});
