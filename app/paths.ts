/** The config file used when --config is not given: $VIGIL_CONFIG, else ./vigil.yaml. */
export function defaultConfigPath(): string {
  return process.env.VIGIL_CONFIG ?? 'vigil.yaml';
}

/** The data directory used when --data is not given: $VIGIL_DATA, else ./data. */
export function defaultDataDir(): string {
  return process.env.VIGIL_DATA ?? 'data';
}
