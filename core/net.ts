import ipaddr from 'ipaddr.js';

/**
 * True for a host that only this machine can reach: `localhost`, 127.0.0.0/8, ::1 (also
 * IPv4-mapped). Brackets of an IPv6 literal are accepted. Anything else, wildcard addresses
 * (0.0.0.0, ::) included, is reachable from the network.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (!ipaddr.isValid(h)) return false;
  let addr = ipaddr.parse(h);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  return addr.range() === 'loopback';
}
