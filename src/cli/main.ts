// The `synack` command: parses arguments with commander and hands off to one subcommand.
import { Command, CommanderError } from 'commander';
import { loadRegistrations } from './commands/index.js';
import { UserError } from './errors.js';

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('synack')
    .description('TCP/IP by hand, every packet visible')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run synack --help for usage)');
  for (const register of await loadRegistrations(argv)) register(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander already printed the message (or the help/version text).
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UserError) {
    console.error(`synack: ${err.message}`);
    if (err.hint) console.error(`  next: ${err.hint}`);
    return err.exitCode;
  }
  throw err;
}
