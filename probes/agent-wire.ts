import { Secret } from '../core/index.js';
import type { ResolvedProbe } from './config.js';

/**
 * The JSON of GET /api/v1/agent/config. Secrets (auth passwords, TOTP seeds) travel to the
 * authenticated agent as `{"$secret": value}` and become Secret objects again on arrival; they
 * never appear in logs on either side.
 */
export interface AgentConfigDoc {
  location: string;
  probes: ResolvedProbe[];
}

export function encodeAgentConfig(doc: AgentConfigDoc): string {
  return JSON.stringify(doc, function (this: unknown, key: string, value: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    return raw instanceof Secret ? { $secret: raw.reveal() } : value;
  });
}

export function decodeAgentConfig(text: string): AgentConfigDoc {
  return JSON.parse(text, (_key, value: unknown) => {
    if (
      value &&
      typeof value === 'object' &&
      '$secret' in value &&
      typeof (value as { $secret: unknown }).$secret === 'string'
    ) {
      return new Secret((value as { $secret: string }).$secret, 'agent-config');
    }
    return value;
  }) as AgentConfigDoc;
}
