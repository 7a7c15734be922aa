/**
 * Thrown by a command that has printed its error and wants to end with `code`: unlike
 * `process.exit`, it lets `main` finish its work first (the command's audit entry).
 */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
  }
}
