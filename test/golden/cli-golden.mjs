#!/usr/bin/env node
// Runs a fixed set of `px-lab` commands on the fixture cases in one process and prints, per output
// file, the sha256 of its bytes (timing fields blanked: `seconds`, `theta_ms`, `eigen_ms`; paths as OUT/ROOT). The
// hashes pinned in test/golden/cli-golden.json were recorded before the one-table refactor; the test
// test/cli.golden.test.ts fails when any output changes by one byte.
//   node test/golden/cli-golden.mjs OUTDIR            → prints {file: sha256} as JSON
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PUBLIC = join(ROOT, 'test', 'fixtures', 'safetensors', 'public');
const out = resolve(process.argv[2] ?? join(ROOT, '.golden-out'));
mkdirSync(out, { recursive: true });
process.env.PXLAB_BACKEND = 'cpu';
const { main } = await import('../../src/cli/main.ts');

const caseArgs = (name) => [
  '--arch',
  join(PUBLIC, name, 'case.json'),
  '--weights',
  join(PUBLIC, name, 'weights.safetensors'),
  '--inputs',
  join(PUBLIC, name, 'inputs.safetensors'),
];
const COMMANDS = [
  ...[
    ['mlp', 'px', 10],
    ['mlp', 'snip', 1],
    ['mlp', 'synflow', 10],
    ['mlp', 'px-official', 1],
    ['mlp', 'px-2024', 3],
    ['mlp', 'ntksap', 3],
    ['mlp', 'rand', 1],
    ['conv_nobn', 'grasp', 1],
    ['conv_nobn', 'mag', 1],
    ['conv_bn', 'px', 4],
    ['conv_bn', 'px-2024', 2],
  ].map(([c, m, r]) => [
    'score',
    ...caseArgs(c),
    '--method',
    m,
    '--density',
    '0.1',
    '--rounds',
    String(r),
    '--out',
    join(out, `score_${c}_${m}_R${r}.safetensors`),
  ]),
  [
    'score',
    ...caseArgs('mlp'),
    '--method',
    'px',
    '--density',
    '0.2',
    '--rounds',
    '3',
    '--scope',
    'local',
    '--examples-per-class',
    '2',
    '--batch-size',
    '7',
    '--seed',
    '3',
    '--out',
    join(out, 'score_mlp_px_local.safetensors'),
  ],
  ...[
    ['px', 3],
    ['snip', 1],
    ['px-2024', 2],
    ['grasp', 1],
    ['synflow', 2],
    ['ntksap', 2],
  ].map(([m, r]) => [
    'prune',
    '--arch',
    'mlp',
    '--dataset',
    'synthetic',
    '--method',
    m,
    '--density',
    '0.05',
    '--rounds',
    String(r),
    '--seed',
    '4',
    '--batch-size',
    '32',
    '--out',
    join(out, `prune_mlp_${m}.safetensors`),
    '--summary',
    join(out, `prune_mlp_${m}.json`),
  ]),
  [
    'prune',
    '--arch',
    'mlp',
    '--dataset',
    'mnist',
    '--method',
    'px',
    '--density',
    '0.1',
    '--rounds',
    '2',
    '--seed',
    '1',
    '--examples-per-class',
    '3',
    '--out',
    join(out, 'prune_mnist_px.safetensors'),
    '--summary',
    join(out, 'prune_mnist_px.json'),
  ],
  [
    'ntk',
    ...caseArgs('mlp'),
    '--masks',
    join(PUBLIC, 'mlp', 'expected', 'px_R10_d0.1.safetensors'),
    '--n',
    '8',
    '--out',
    join(out, 'ntk_mlp.json'),
  ],
  [
    'ntk',
    ...caseArgs('mlp'),
    '--masks',
    join(out, 'score_mlp_snip_R1.safetensors'),
    '--n',
    '4',
    '--method',
    'loop',
    '--out',
    join(out, 'ntk_mlp_loop.json'),
  ],
  [
    'layers',
    '--arch',
    join(PUBLIC, 'conv_bn', 'case.json'),
    '--masks',
    join(out, 'score_conv_bn_px_R4.safetensors'),
    '--out',
    join(out, 'layers_conv_bn.json'),
  ],
  [
    'layers',
    '--arch',
    join(PUBLIC, 'mlp', 'case.json'),
    '--masks',
    join(PUBLIC, 'mlp', 'expected', 'synflow_R10_d0.1.safetensors'),
    '--csv',
    '--out',
    join(out, 'layers_mlp.csv'),
  ],
];

// the help text and the usage errors are outputs too (method and dataset lists come from tables)
const captured = [];
const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
process.stdout.write = process.stderr.write = (s) => (captured.push(String(s)), true);
for (const args of [
  ['--help'],
  ['prune', '--help'],
  ['score', '--method', 'nope'],
  ['prune', '--method', 'px', '--arch', 'mlp', '--density', '0.1', '--dataset', 'nope', '--out', 'x'],
]) {
  captured.push(`$ px-lab ${args.join(' ')} → ${await main(args)}\n`);
}
const origLog = console.log;
console.log = (s) => captured.push(`${s}\n`);
for (const c of ['score', 'ntk', 'layers']) await main([c, '--help']);
console.log = origLog;
process.stdout.write = write.out;
process.stderr.write = write.err;
writeFileSync(join(out, 'help.txt'), captured.join(''));

for (const args of COMMANDS) {
  const code = await main(args);
  if (code !== 0) throw new Error(`px-lab ${args.join(' ')} exited ${code}`);
}
const hashes = {};
for (const f of readdirSync(out).sort()) {
  let bytes = readFileSync(join(out, f));
  // paths written into JSON (the masks a command read) depend on the checkout and the out folder
  if (f.endsWith('.json'))
    bytes = Buffer.from(
      bytes
        .toString('utf8')
        .replace(/"(seconds|theta_ms|eigen_ms)": [^,\n]+/g, '"$1": 0')
        .split(out)
        .join('OUT')
        .split(ROOT)
        .join('ROOT'),
    );
  hashes[f] = createHash('sha256').update(bytes).digest('hex');
}
process.stdout.write(`${JSON.stringify(hashes, null, 1)}\n`);
