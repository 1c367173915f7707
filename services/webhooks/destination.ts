import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may go: public internet addresses only. A partner chooses the URL, and the
 * worker POSTs from inside the desk's network and keeps the first characters of the answer, so
 * a URL on loopback, a private network, link-local (cloud metadata at 169.254.169.254) and the
 * like would let a partner reach and read services no one outside should see. Tests and local
 * development, whose receivers listen on loopback, lift the rule with WEBHOOK_ALLOW_PRIVATE.
 */

type Family = 'ipv4' | 'ipv6';

/** The ranges that are not the public internet, each with the name a log or a test shows. */
const RANGES: ReadonlyArray<readonly [kind: string, family: Family, network: string, prefix: number]> = [
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['private network', 'ipv4', '10.0.0.0', 8],
  ['shared address space (carrier-grade NAT)', 'ipv4', '100.64.0.0', 10],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['private network', 'ipv4', '172.16.0.0', 12],
  ['reserved', 'ipv4', '192.0.0.0', 24],
  ['documentation', 'ipv4', '192.0.2.0', 24],
  ['reserved', 'ipv4', '192.88.99.0', 24],
  ['private network', 'ipv4', '192.168.0.0', 16],
  ['benchmarking', 'ipv4', '198.18.0.0', 15],
  ['documentation', 'ipv4', '198.51.100.0', 24],
  ['documentation', 'ipv4', '203.0.113.0', 24],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved', 'ipv4', '240.0.0.0', 4],
  // ::/128 and ::1/128, and the deprecated IPv4-compatible ::a.b.c.d. IPv4-mapped addresses
  // (::ffff:a.b.c.d) are checked against the IPv4 ranges above: BlockList maps them.
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['reserved', 'ipv6', '::', 96],
  // NAT64 and the transition mechanisms embed an IPv4 address, which may be a private one.
  ['embedded IPv4 (NAT64)', 'ipv6', '64:ff9b::', 96],
  ['embedded IPv4 (NAT64)', 'ipv6', '64:ff9b:1::', 48],
  ['discard', 'ipv6', '100::', 64],
  ['reserved', 'ipv6', '2001::', 23],
  ['documentation', 'ipv6', '2001:db8::', 32],
  ['embedded IPv4 (6to4)', 'ipv6', '2002::', 16],
  ['unique local', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['site-local', 'ipv6', 'fec0::', 10],
  ['multicast', 'ipv6', 'ff00::', 8],
];

const BLOCKS = RANGES.map(([kind, family, network, prefix]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { kind, list };
});

export type AddressClass = { public: true } | { public: false; kind: string };

/**
 * Whether an IP address (IPv4, IPv6, IPv4-mapped IPv6) is on the public internet; if not, which
 * kind of range it is in. Anything that is not an IP address at all is not public.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const version = isIP(bare);
  if (version === 0) return { public: false, kind: 'not an IP address' };
  const family: Family = version === 4 ? 'ipv4' : 'ipv6';
  // An IPv6 scope (fe80::1%eth0) is for link-local addresses only.
  if (bare.includes('%')) return { public: false, kind: 'link-local' };
  for (const { kind, list } of BLOCKS) if (list.check(bare, family)) return { public: false, kind };
  return { public: true };
}

/** What a partner reads when its URL is refused: the rule, not the address or its range. */
export const PUBLIC_ONLY = 'webhooks go only to public internet addresses';
export const privateLiteralMessage = (host: string) => `${host} is a private address; ${PUBLIC_ONLY}`;
export const privateNameMessage = (host: string) => `${host} resolves to a private address; ${PUBLIC_ONLY}`;

/** The host of a URL as the network sees it: without the brackets of an IPv6 literal, lower case. */
export function hostOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `localhost` and its subdomains are loopback by definition (RFC 6761), whatever a resolver says. */
const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.';

export type Resolve = (host: string) => Promise<LookupAddress[]>;

/** Every address the system resolver (getaddrinfo, as the connection itself uses) gives a host name. */
export const resolveAll: Resolve = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/** A refused destination: the message names the host as the partner typed it, never the address. */
export class DestinationRefused extends Error {
  readonly code = 'EWEBHOOKDESTINATION';
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefused';
  }
}

/**
 * Checks a host without resolving it: an IP literal in a non-public range, or localhost, is
 * refused. Answers the refusal's message, `undefined` for a public IP or a name to resolve.
 */
export function refuseLiteral(host: string): string | undefined {
  if (isLocalhostName(host)) return privateNameMessage(host);
  if (isIP(host) === 0) return undefined;
  return classifyAddress(host).public ? undefined : privateLiteralMessage(host);
}

/**
 * The check at registration (create and update): an IP literal in a non-public range, localhost,
 * or a name any of whose addresses is non-public is refused (the message); a public one passes.
 * A name that does not resolve (yet) passes too: the check at each delivery refuses it then.
 */
export async function checkDestination(url: URL, { resolve = resolveAll, timeoutMs = 5000 }: { resolve?: Resolve; timeoutMs?: number } = {}) {
  const host = hostOf(url);
  const literal = refuseLiteral(host);
  if (literal || isIP(host) !== 0) return literal;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((settle) => (timer = setTimeout(() => settle(undefined), timeoutMs)));
  try {
    const addresses = await Promise.race([resolve(host).catch(() => undefined), timeout]);
    if (addresses?.some((a) => !classifyAddress(a.address).public)) return privateNameMessage(host);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A `lookup` for node:http(s) that resolves the host once, refuses it when any of its addresses
 * is non-public, and hands the connection exactly the addresses it checked: the request cannot
 * go where a second resolution (DNS rebinding) would point. IP literals never reach a lookup:
 * check them with `refuseLiteral` first.
 */
export function pinnedLookup(resolve: Resolve = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    const host = hostname.toLowerCase();
    const all = options.all === true;
    const wanted = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const fail = (error: NodeJS.ErrnoException) => callback(error, all ? [] : '');
    if (isLocalhostName(host)) return void process.nextTick(fail, new DestinationRefused(`Refused: ${privateNameMessage(host)}`));
    resolve(host).then(
      (found) => {
        if (found.some((a) => !classifyAddress(a.address).public)) return fail(new DestinationRefused(`Refused: ${privateNameMessage(host)}`));
        const usable = wanted ? found.filter((a) => a.family === wanted) : found;
        if (usable.length === 0) return fail(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
        if (all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: NodeJS.ErrnoException) => fail(error),
    );
  };
}
