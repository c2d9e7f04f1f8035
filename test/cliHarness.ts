// Runs `px-lab` in this process (same code path as bin/px-lab.mjs) and captures what it prints:
// fast enough for fuzzing, where spawning npx per case would take seconds.
import { main } from '../src/cli/main';

export interface CliRun {
  code: number;
  stderr: string;
  stdout: string;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  let stderr = '';
  let stdout = '';
  const errWrite = process.stderr.write.bind(process.stderr);
  const outWrite = process.stdout.write.bind(process.stdout);
  const origLog = console.log;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  console.log = (...a: unknown[]) => void (stdout += `${a.join(' ')}\n`);
  try {
    const code = await main(argv);
    return { code, stderr, stdout };
  } finally {
    process.stderr.write = errWrite;
    process.stdout.write = outWrite;
    console.log = origLog;
  }
}

/** One line, no stack trace, no bare undefined/null, no raw control characters. */
export function isClearLine(text: string): boolean {
  const lines = text.trim().split('\n');
  return (
    lines.length === 1 &&
    !/\n\s+at |\bat .*\(.*:\d+:\d+\)/.test(text) &&
    !/\b(undefined|null)\b/.test(lines[0]) &&
    !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(lines[0])
  );
}
