/**
 * Expands `${NAME}` from the environment; `$$` is a literal `$` (as in Alertmanager and Docker
 * Compose). A lone `$` not followed by `{` or `$` is kept as it is. Returns the names not set.
 */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = env[name!];
    if (v === undefined) {
      missing.push(name!);
      return '';
    }
    return v;
  });
  return { value, missing };
}

let current: NodeJS.ProcessEnv | undefined;

/**
 * The environment the config being loaded is expanded against: what `loadConfig` was given,
 * else the process's. Set only for the (synchronous) duration of one load.
 */
export function configEnv(): NodeJS.ProcessEnv {
  return current ?? process.env;
}

/** Runs `fn` with `env` as the config environment (see configEnv). */
export function withConfigEnv<T>(env: NodeJS.ProcessEnv, fn: () => T): T {
  const prev = current;
  current = env;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
