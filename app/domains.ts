import { coreSections, type ConfigSection } from '../core/index.js';
import type { DomainWiring, WireContext, RegisterCommands } from './wire/types.js';
import { demoSection } from './demo-target.js';

/** Every config section vigil knows: core's, the app's and each domain's. */
export const allSections: ConfigSection[] = [...coreSections, demoSection];

/** The domains `vigil start` wires, in start order (alert routing first, so sinks have a target). */
export const domainWirings: Array<{ name: string; wire: (ctx: WireContext) => Promise<DomainWiring> }> = [];

/** The domains' CLI commands. */
export const domainCommands: RegisterCommands[] = [];
