import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where a DCI callback may go. Non-public destinations (RFC 6890 special-purpose ranges: private,
 * loopback, link-local, unique-local, CGNAT, multicast, reserved, documentation, and IPv4 inside
 * IPv6 — NAT64, 6to4; IPv4-mapped addresses are checked by the IPv4 ranges) are refused unless the registered client is allowed a private address.
 */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address (v4 or v6) is outside the public internet. Not an IP → true (refuse). */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (family === 6) return NON_PUBLIC.check(address.replace(/%.*$/, ''), 'ipv6');
  return true;
}

export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefused';
  }
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );
}

/** Checks every address the URL's host resolves to; throws DestinationRefused when one is not public (and private ones are not allowed). */
export async function assertDestination(url: string, allowPrivate: boolean): Promise<void> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(host);
  } catch (err) {
    throw new DestinationRefused(`the callback host does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (addresses.length === 0) throw new DestinationRefused('the callback host does not resolve');
  if (!allowPrivate && addresses.some((a) => isNonPublicAddress(a.address)))
    throw new DestinationRefused('the callback host resolves to a private, loopback, link-local or reserved address');
}

/**
 * A DNS lookup for the socket that refuses non-public addresses: the check is made on the very
 * addresses the connection uses, so a name cannot resolve to a public address for the check and a
 * private one for the connection.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      if (list.length === 0) return callback(new DestinationRefused('the callback host does not resolve'), '', 0);
      if (!allowPrivate && list.some((a) => isNonPublicAddress(a.address)))
        return callback(new DestinationRefused('the callback host resolves to a private, loopback, link-local or reserved address'), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface PostResult {
  ok: boolean;
  status: number | null;
  error?: string;
}

/**
 * POSTs a JSON body. Redirects are never followed (a 3xx is a failure), the destination is checked
 * at connect time, the answer body is read and dropped (at most 64 KiB), and the whole exchange has a timeout.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { allowPrivate: boolean; timeoutMs: number },
): Promise<PostResult> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ ok: false, status: null, error: 'invalid callback url' });
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
      return resolve({ ok: false, status: null, error: 'callback url is not http(s)' });
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !opts.allowPrivate && isNonPublicAddress(host))
      return resolve({ ok: false, status: null, error: 'the callback address is private, loopback, link-local or reserved' });
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const req = send(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
        lookup: guardedLookup(opts.allowPrivate),
        timeout: opts.timeoutMs,
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (c: Buffer) => {
          read += c.length;
          if (read > 65536) res.destroy();
        });
        res.on('error', () => undefined);
        res.on('close', () => {
          if (status >= 300 && status < 400) return done({ ok: false, status, error: `redirect ${status} not followed` });
          done({ ok: status >= 200 && status < 300, status, ...(status >= 200 && status < 300 ? {} : { error: `answered ${status}` }) });
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (err) => done({ ok: false, status: null, error: err.message }));
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}
