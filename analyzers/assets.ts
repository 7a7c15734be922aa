import ipaddr from 'ipaddr.js';
import { VigilError } from '../core/index.js';

/** A customer's networks, as in the top-level `customers[].networks`. */
export interface CustomerNetworks {
  id: string;
  networks: string[];
}

/**
 * Maps an address to the customer whose network holds it, most specific prefix first, so every
 * finding says whose it is. IPv4-mapped IPv6 addresses match IPv4 networks.
 */
export class AssetMap {
  private readonly nets: { range: [ipaddr.IPv4 | ipaddr.IPv6, number]; customer: string }[] = [];
  private readonly cache = new Map<string, string | undefined>();

  constructor(customers: CustomerNetworks[]) {
    for (const c of customers) {
      for (const n of c.networks) {
        try {
          this.nets.push({
            range: n.includes('/')
              ? ipaddr.parseCIDR(n)
              : [ipaddr.parse(n), ipaddr.parse(n).kind() === 'ipv4' ? 32 : 128],
            customer: c.id,
          });
        } catch (err) {
          throw new VigilError(
            'CFG_NETWORK',
            `customers "${c.id}": network "${n}" is not an address or CIDR`,
            { cause: err },
          );
        }
      }
    }
    this.nets.sort((a, b) => b.range[1] - a.range[1]);
  }

  /** The customer id owning `ip`, or undefined (also for anything that is not an address). */
  customerOf = (ip: string | undefined): string | undefined => {
    if (!ip || this.nets.length === 0) return undefined;
    if (this.cache.has(ip)) return this.cache.get(ip);
    let found: string | undefined;
    if (ipaddr.isValid(ip)) {
      let addr = ipaddr.parse(ip);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
        addr = (addr as ipaddr.IPv6).toIPv4Address();
      for (const n of this.nets) {
        if (n.range[0].kind() === addr.kind() && addr.match(n.range)) {
          found = n.customer;
          break;
        }
      }
    }
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(ip, found);
    return found;
  };

  /** Whether `ip` is in any customer network. */
  isLocal(ip: string | undefined): boolean {
    return this.customerOf(ip) !== undefined;
  }
}
