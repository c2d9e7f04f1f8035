// px-lab: the command-line face of src/core (same code as the page's worker).
import { COMMANDS } from './commands';
import { ZodError } from 'zod';
import { fsErrorLine } from './common';
import { CliError, parse } from './args';
import { firstIssue } from '../shared/sweep';

function help(): string {
  return `px-lab — pruning at initialisation (PX, SNIP, GraSP, SynFlow, …) on the lab's TypeScript core\n\n${Object.values(COMMANDS)
    .map((c) => c.usage)
    .join('\n\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new CliError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    const v = parse(rest, cmd.options);
    if (v.help) console.log(cmd.help ?? cmd.usage);
    else await cmd.run(v);
    return 0;
  } catch (e) {
    // never raw Node or zod text: a file-system error or a schema issue becomes one plain line
    const msg = e instanceof ZodError ? firstIssue(e) : (fsErrorLine(e) ?? (e instanceof Error ? e.message : String(e)));
    process.stderr.write(`px-lab ${name ?? ''}: error: ${msg.split('\n')[0]}\n`);
    if (!(e instanceof CliError) && process.env.PXLAB_DEBUG) console.error(e);
    return e instanceof CliError ? 2 : 1;
  }
}
