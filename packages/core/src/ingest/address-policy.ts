import ipaddr from 'ipaddr.js';
import { type NewsragError, newsragError } from '../errors.js';

/**
 * Which addresses an untrusted URL may reach. Only global unicast is allowed; range
 * classification is ipaddr.js's (well kept, covers the IANA special-purpose tables), so
 * this module only decides which of its ranges are refused.
 */

/** Why an address is refused, or `null` when it is a public unicast address. */
export function refusedRange(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // ::ffff:127.0.0.1 and friends reach the IPv4 address inside.
    if (v6.isIPv4MappedAddress()) return refusedRange(v6.toIPv4Address().toString());
  }
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** Lower-case host without IPv6 brackets, as compared with the allow-list. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** The allow-list: hosts (names or addresses) that may resolve to private addresses (tests, intranets). */
export type AllowList = ReadonlySet<string>;

export function allowList(hosts: readonly string[] = []): AllowList {
  return new Set(hosts.map(bareHost));
}

/** A URL without user name and password, for messages and logs. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url.toString());
    if (u.username === '' && u.password === '') return u.href;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Parses an untrusted URL: only `http:` and `https:` are accepted, and a host that is an
 * IP literal (in any form WHATWG URL parsing normalises, e.g. `2130706433` or `0x7f.1`)
 * must be public unless allowed. Names are checked after DNS resolution, at connect time.
 */
export function checkUrl(raw: string, allow: AllowList): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw newsragError('FETCH_BLOCKED', { url: redactUrl(raw), reason: 'not a valid URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw newsragError('FETCH_BLOCKED', { url: redactUrl(url), reason: 'only http and https URLs are fetched' });
  }
  const host = bareHost(url.hostname);
  if (ipaddr.isValid(host) && !allow.has(host)) {
    const why = refusedRange(host);
    if (why !== null) throw blocked(url, host, why);
  }
  return url;
}

export function blocked(url: URL | string, address: string, range: string): NewsragError {
  return newsragError('FETCH_BLOCKED', {
    url: redactUrl(url),
    reason: `refused, ${address} is a ${range} address (allow the host with --allow-host to fetch it)`,
  });
}
