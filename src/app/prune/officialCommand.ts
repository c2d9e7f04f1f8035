// The command line that runs the same pruning with the official PyTorch code
// (github.com/iurada/px-ntk-pruning, launch_scripts/cifar10.sh) on a GPU machine. Pure.
import { type RunConfig } from '../../shared/config';
import { roundsFor, type MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import { densityText } from '../common/format';

/** Architectures and datasets the official classification code accepts (train_classification.py). */
export const OFFICIAL_ARCHS = ['resnet20', 'vgg16_bn'] as const;
export const OFFICIAL_DATASETS: Partial<Record<RunConfig['dataset'], string>> = { cifar10: 'CIFAR10' };

export interface OfficialCommand {
  /** One `python main.py …` line per method that has an official equivalent ('' when none has). */
  script: string;
  /** Plain-text caveats: what differs from the lab run, or why there is no command. */
  notes: string[];
  /** False when the configuration has no official equivalent at all. */
  available: boolean;
}

/** Python-literal dict as the official scripts write it: {'key': value, …}. */
function pyDict(entries: Array<[string, string | number]>): string {
  return `{${entries.map(([k, v]) => `'${k}': ${typeof v === 'string' ? `'${v}'` : v}`).join(', ')}}`;
}

/** The official commit the released paper's PX (the lab's px-2024) ran from. */
export const PX2024_COMMIT = '82ce2bf';

/** Batches of `batchSize` a method reads (the official `batch_limit`): 2 for PX as published
 * (its launch script), 1 for SNIP/GraSP/NTK-SAP as the lab reads them. */
export function batchLimitFor(_config: RunConfig, method: MethodId): number {
  return method === 'px-2024' ? 2 : 1;
}

export function officialCommand(config: RunConfig): OfficialCommand {
  const notes: string[] = [];
  const arch = config.model;
  if (!(OFFICIAL_ARCHS as readonly string[]).includes(arch)) {
    return {
      script: '',
      available: false,
      notes: [
        `The official code has no equivalent of the lab's ${arch === 'mlp' ? 'MLP' : 'ConvNet'}: it supports --arch resnet20 or vgg16_bn only, and datasets CIFAR10, CIFAR100, TinyImageNet and ImageNet. Pick ResNet-20 or VGG-16-BN to get a command line.`,
      ],
    };
  }
  const dataset = OFFICIAL_DATASETS[config.dataset];
  if (!dataset)
    notes.push(
      `The official code has no ${config.dataset === 'synthetic' ? 'synthetic data' : config.dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST'}: the command uses CIFAR10 (it supports CIFAR10, CIFAR100, TinyImageNet and ImageNet only), so its numbers will differ.`,
    );
  if (config.scope === 'local')
    notes.push(
      'The official training script always masks globally (scope "local" has no official equivalent); the command prunes globally.',
    );
  // the official code reads a plain ratio; 0.8^18's 17 digits would only look like precision
  const wrr = densityText(config.density);
  const lines: string[] = [];
  for (const m of config.methods) {
    const info = METHOD_INFO[m];
    if (info.official === null) {
      lines.push(`# ${info.label}: the official code has no such pruner (a lab control, docs/methods.md)`);
      continue;
    }
    const rounds = roundsFor(config, m);
    const args: Array<[string, string | number]> = [
      ['weight_remaining_ratio', Number(wrr)],
      ['rounds', rounds],
      ['batch_limit', batchLimitFor(config, m)],
    ];
    // PX at the official HEAD (ed6c40e) ignores batch_limit and reads the class-balanced subset:
    // examples_per_class is required (their launch script omits it and PX raises KeyError).
    // PX as released (82ce2bf) reads batch_limit batches through an auxiliary `_no_act` model.
    if (m === 'px-2024') args.push(['aux_model', `${arch}_no_act`]);
    else if (info.official === 'PX') args.push(['examples_per_class', config.examplesPerClass]);
    if (info.official === 'NTKSAP') args.push(['ntksap_epsilon', 0.01], ['ntksap_R', 1]);
    const name = `${dataset ?? 'CIFAR10'}/${arch}/${wrr}/${info.official}/run${config.seed}`;
    if (m === 'px') lines.push(`# PX: the lab's "px" keeps BatchNorm on running statistics; the official PX is the lab's "px-official".`);
    else if (m === 'px-2024')
      lines.push(
        `# ${info.label}: first run \`git checkout ${PX2024_COMMIT}\` in px-ntk-pruning (the release behind the paper's tables; HEAD rewrote PX)`,
      );
    else if (m === 'px-official') lines.push(`# ${info.label}: the official code at HEAD (commit ed6c40e)`);
    else lines.push(`# ${info.label}`);
    lines.push(
      [
        'python main.py',
        `--experiment=${info.official}`,
        `--experiment_name=${name}`,
        `--experiment_args="${pyDict(args)}"`,
        `--dataset=${dataset ?? 'CIFAR10'}`,
        `--dataset_args="${pyDict([['root', `data/${dataset ?? 'CIFAR10'}`]])}"`,
        `--arch=${arch}`,
        `--batch_size=${config.batchSize}`,
        '--epochs=160',
        '--num_workers=4',
        `--seed=${config.seed}`,
        `--pruner=${info.official}`,
        '--grad_accum_steps=1',
      ].join(' '),
    );
  }
  if (config.methods.includes('px-2024'))
    notes.push(
      `PX as published (px-2024) needs the official repository at commit ${PX2024_COMMIT} (git checkout ${PX2024_COMMIT}); it reads the first 2 batches of ${config.batchSize} shuffled training images (batch_limit 2) through aux_model ${arch}_no_act. The other lines need HEAD, so run them from a second checkout.`,
    );
  if (config.methods.some((m) => m === 'px' || m === 'px-official'))
    notes.push(
      `PX at the official HEAD reads the first ${config.examplesPerClass} examples of each class (examples_per_class), as the lab does; older versions of the official code read 'batch_limit' batches instead.`,
    );
  notes.push('Official weights and data order come from PyTorch: expect the same kind of result, not the same bits.');
  return { script: lines.join('\n'), notes, available: true };
}
