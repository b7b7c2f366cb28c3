import type { CallbackEndpoint } from './dci-clients.repository';

/**
 * Where a DCI answer goes (issue 11). `header.sender_uri` is, per MsgHeader_V1.0.0, the "sender url
 * to accept callbacks" — a full URL (example `https://spmis.example.org/{namespace}/callback/on-search`):
 * the answer of that request is posted to it exactly as given. Without one ("Default uri is assumed
 * to be configured … as part of sender/receiver onboarding"), the answer goes to the client's
 * registered DCI base URL (`callbackUri`) + the spec's path of the callback endpoint
 * (`/registry/on-search`, `/registry/on-subscribe`, `/registry/on-unsubscribe`, `/registry/txn/on-status`,
 * `/registry/notify`); notifications go to the client's registered `notifyUri` when it has one.
 *
 * Which sender_uri is accepted (the rule of issue 10, for full URLs): it must be under an address the
 * client registered — the same origin (scheme, host, port) as its `callbackUri` and a path equal to or
 * below the callbackUri's path (segment-wise: `/dci` covers `/dci/on-search`, not `/dcix`), or exactly
 * its registered `notifyUri`. No credentials, query or fragment, and no percent-encoded `/`, `\` or `.`
 * in the path (they could climb out of the prefix on the client's server). The destination must still
 * resolve to a public address unless the client is allowed a private one (checked on receipt and on
 * every delivery, see dci-address.ts), and redirects are never followed.
 */
export const CALLBACK_PATHS: Record<CallbackEndpoint, string> = {
  'on-search': '/registry/on-search',
  'on-subscribe': '/registry/on-subscribe',
  'on-unsubscribe': '/registry/on-unsubscribe',
  'on-status': '/registry/txn/on-status',
  notify: '/registry/notify',
};

export interface CallbackRegistration {
  callbackUri: string;
  notifyUri: string | null;
}

/** The default full callback URL of an endpoint for a registered client. */
export function defaultCallbackUrl(client: CallbackRegistration, endpoint: CallbackEndpoint): string {
  if (endpoint === 'notify' && client.notifyUri) return client.notifyUri;
  return `${client.callbackUri.replace(/\/+$/, '')}${CALLBACK_PATHS[endpoint]}`;
}

/** A full callback URL as the register compares and posts it (scheme and host lower-cased, default port dropped); null when it is not one. */
export function normaliseCallbackUrl(uri: string): string | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.username || u.password || u.search || u.hash || /[?#]/.test(uri)) return null;
  if (/%(2f|5c|2e)/i.test(u.pathname)) return null;
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** Why a sender_uri is not one the client registered, or null when it is. */
export function senderUriProblem(client: CallbackRegistration, senderUri: string): string | null {
  const given = normaliseCallbackUrl(senderUri);
  if (!given) return 'header.sender_uri must be an absolute http(s) URL without credentials, query, fragment or encoded separators';
  if (client.notifyUri && given === normaliseCallbackUrl(client.notifyUri)) return null;
  const base = new URL(client.callbackUri);
  const u = new URL(given);
  if (u.origin !== base.origin)
    return 'header.sender_uri is not on the callback address registered for this client (another scheme, host or port)';
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix !== '' && u.pathname !== prefix && !u.pathname.startsWith(`${prefix}/`))
    return `header.sender_uri is not under the callback path registered for this client (${prefix}/…)`;
  return null;
}

/** Where an answer to a request goes: its sender_uri as given (already accepted on receipt), else the registered default. */
export function answerUrl(
  client: CallbackRegistration,
  endpoint: CallbackEndpoint,
  senderUri: string | undefined | null,
): { url: string; given: boolean } {
  if (typeof senderUri === 'string' && senderUri !== '') return { url: normaliseCallbackUrl(senderUri) ?? senderUri, given: true };
  return { url: defaultCallbackUrl(client, endpoint), given: false };
}

/**
 * Where a queued callback goes at delivery time, by the client's registration as it is now: a given
 * sender_uri only while it is still under the registered address (else null: not delivered); a
 * default follows the registration (a client re-pointed meanwhile gets it at the new address).
 */
export function deliveryUrl(
  client: CallbackRegistration,
  c: { endpoint: CallbackEndpoint; url: string; urlGiven: boolean },
): string | null {
  if (!c.urlGiven) return defaultCallbackUrl(client, c.endpoint);
  return senderUriProblem(client, c.url) ? null : c.url;
}
