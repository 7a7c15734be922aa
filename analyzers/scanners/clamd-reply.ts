/**
 * Parsing clamd replies (clamd(8), COMMANDS). A scan reply is `<path>: OK`, `<path>: <name> FOUND`
 * or `<path>: <message> ERROR`; INSTREAM uses `stream` as the path. Error messages may contain
 * ": " themselves ("lstat() failed: No such file or directory. ERROR"), so when the caller knows
 * the path it asked about, the path is matched as a prefix instead of split on the first colon.
 */

export type ClamdReply =
  | { path: string; status: 'ok' }
  | { path: string; status: 'found'; signature: string }
  | { path: string; status: 'error'; message: string };

/** Names ClamAV reports when a limit stopped the scan (AlertExceedsMax): not a virus, not clean. */
const LIMIT_HEURISTIC = /^Heuristics\.Limits\.Exceeded/;

/** True when a FOUND signature only says that clamd gave up on a limit (file too large, too deep). */
export function isLimitSignature(signature: string): boolean {
  return LIMIT_HEURISTIC.test(signature);
}

/**
 * Parses one reply line (terminator already removed). `expectedPath`, when given, is the path the
 * command named; replies for other paths (a directory scan) fall back to splitting on ": ".
 */
export function parseClamdReply(line: string, expectedPath?: string): ClamdReply {
  let path: string;
  let rest: string;
  if (expectedPath !== undefined && line.startsWith(`${expectedPath}: `)) {
    path = expectedPath;
    rest = line.slice(expectedPath.length + 2);
  } else {
    // Without a known path: a path may hold ": " too, but a signature name never does, so the
    // last ": " is right for OK and FOUND; for ERROR the first is (messages hold colons, paths rarely).
    const idx = line.endsWith(' ERROR') ? line.indexOf(': ') : line.lastIndexOf(': ');
    if (idx < 0) {
      // e.g. "INSTREAM size limit exceeded. ERROR" or "UNKNOWN COMMAND": no path at all.
      const message = line.replace(/\s*ERROR$/, '');
      return { path: expectedPath ?? '', status: 'error', message };
    }
    path = line.slice(0, idx);
    rest = line.slice(idx + 2);
  }
  if (rest === 'OK') return { path, status: 'ok' };
  if (rest.endsWith(' FOUND')) return { path, status: 'found', signature: rest.slice(0, -' FOUND'.length) };
  if (rest.endsWith(' ERROR') || rest === 'ERROR')
    return { path, status: 'error', message: rest.replace(/\s*ERROR$/, '') };
  // Anything else is a reply we do not understand; treating it as clean would be a lie.
  return { path, status: 'error', message: `unexpected clamd reply: ${rest}` };
}

/** Splits a buffer of z-terminated (NUL) or n-terminated replies into lines. */
export function splitReplies(data: string, terminator: '\0' | '\n'): string[] {
  return data.split(terminator).filter((l) => l.length > 0);
}
