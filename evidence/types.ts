/** The period a bundle covers: epoch ms, `from` inclusive, `to` exclusive. */
export interface Period {
  from: number;
  to: number;
}

/** One row of the role matrix in force (route × role), handed in by app/ from server/'s matrix. */
export interface RoleMatrixRow {
  method: string;
  url: string;
  permission: string;
  roles: readonly string[];
}

/** The frameworks a bundle maps controls for. */
export const FRAMEWORKS = ['pci-dss-4.0.1', 'iso27001-2022'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** What the collector needs besides the store: data owned by other layers, passed in as data. */
export interface EvidenceInputs {
  period: Period;
  frameworks: readonly Framework[];
  /** Route × role rows (server/rbac-matrix.ts), passed in by app/. */
  roleMatrix: readonly RoleMatrixRow[];
  /** Probe targets by id with their kind and customer (from the configuration). */
  targets: readonly { id: string; serviceId: string; kind: string; customerId?: string }[];
  /** Set for a customer-scoped caller: only that customer's SLA and incident evidence. */
  customerId?: string;
  /** Name of the instance (bag-info `Source-Organization`). */
  instance: string;
}

/** A JSON Lines record file of the bundle: path under `data/` and its rows. */
export interface RecordFile {
  path: string;
  rows: Record<string, unknown>[];
}

/** Every record file, by role; the control mapping reads these. */
export type Records = Map<string, Record<string, unknown>[]>;
