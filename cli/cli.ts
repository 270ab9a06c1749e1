// Entry point of the `wasmscope` command-line tool: one table of sub-commands over the shared core.
import { CliError, type Command } from './command';
import { runCommand } from './commands/run';
import { specCommand } from './commands/spec';
import { checkCommand } from './commands/check';
import { inspectCommand } from './commands/inspect';
import { serveCommand } from './commands/serve';

const commands: readonly Command[] = [runCommand, serveCommand, specCommand, checkCommand, inspectCommand];

const VERSION = '0.1.0';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'wasmscope — run, test, check and inspect WebAssembly',
    '',
    'Usage: wasmscope <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `wasmscope <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`wasmscope: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest[0] === '--help' || rest[0] === '-h') {
    process.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`wasmscope ${command.name}: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A bug of ours, not the user's: say so plainly, with the stack for the report.
    process.stderr.write(`wasmscope: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  },
);
