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
