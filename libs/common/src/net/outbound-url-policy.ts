import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

/**
 * Where payhub may send a merchant's webhooks (the merchant webhook URL, a payment's `notificationUrl`):
 * never to payhub's own network. Checked when the URL is saved and again at send time, on the address
 * the name resolves to right then (a name may point somewhere else by the time it is used).
 */
export interface OutboundUrlPolicy {
  /** Loopback (127/8, ::1, localhost) for the sandbox and local receivers; off in production. */
  allowLoopback: boolean;
  /** Production accepts https only. */
  requireHttps: boolean;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Private, link-local (cloud metadata included), CGNAT, multicast and reserved ranges. */
const FORBIDDEN = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
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
  FORBIDDEN.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const)
  FORBIDDEN.addSubnet(net, bits, 'ipv6');

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/** Why `address` may not be called, or null when it may. */
export function addressIssue(address: string, policy: OutboundUrlPolicy): string | null {
  const family = isIP(address);
  if (!family) return 'is not an IP address';
  const embedded = family === 6 ? embeddedIpv4(address) : null;
  if (embedded) return addressIssue(embedded, policy);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(address, type)) return policy.allowLoopback ? null : 'points at a loopback address';
  if (FORBIDDEN.check(address, type)) return 'points at a private, link-local, CGNAT, multicast or reserved address';
  return null;
}

/** The check at save time: scheme, and the host when it is an address or a name that can only be local. */
export function outboundUrlIssue(raw: string, policy: OutboundUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (policy.requireHttps && url.protocol !== 'https:') return 'must use https';
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (isIP(host)) return addressIssue(host, policy);
  if (host === 'localhost' || host.endsWith('.localhost')) return policy.allowLoopback ? null : 'points at a loopback address';
  if (METADATA_HOSTS.has(host)) return 'points at a cloud metadata service';
  if (!host.includes('.') && !policy.allowLoopback) return 'must be a public host name';
  return null;
}

export class OutboundAddressRefused extends Error {
  readonly code = 'OUTBOUND_ADDRESS_REFUSED';
}

/**
 * An undici dispatcher that checks every address a name resolves to, at connect time, and connects to
 * the checked address only: no gap for a DNS answer to change between the check and the connection.
 * An address given literally in the URL is not resolved, so callers check the URL first as well.
 */
export function policedDispatcher(policy: OutboundUrlPolicy): Agent {
  const lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      const refused = addresses.map((a) => addressIssue(a.address, policy)).find((issue) => issue !== null);
      if (refused || !addresses.length) return callback(new OutboundAddressRefused(`${hostname} ${refused ?? 'has no address'}`), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
  return new Agent({ connect: { lookup } });
}

/** ::ffff:a.b.c.d, ::a.b.c.d and 64:ff9b::a.b.c.d carry an IPv4 address: judge that one. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
