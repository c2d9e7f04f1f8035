import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../shared/config';
import { officialCommand } from './officialCommand';
import { densityText } from '../common/format';

const resnet: RunConfig = {
  ...DEFAULT_CONFIG,
  model: 'resnet20',
  dataset: 'cifar10',
  density: 0.018,
  seed: 42,
  methods: ['px-official'],
  rounds: 100,
  batchSize: 128,
  examplesPerClass: 10,
};

describe('officialCommand', () => {
  it('writes the launch_scripts/cifar10.sh form for PX on ResNet-20, with the examples_per_class PX needs at HEAD', () => {
    const c = officialCommand(resnet);
    expect(c.available).toBe(true);
    expect(c.script.split('\n')[1]).toBe(
      `python main.py --experiment=PX --experiment_name=CIFAR10/resnet20/0.018/PX/run42 --experiment_args="{'weight_remaining_ratio': 0.018, 'rounds': 100, 'batch_limit': 1, 'examples_per_class': 10}" --dataset=CIFAR10 --dataset_args="{'root': 'data/CIFAR10'}" --arch=resnet20 --batch_size=128 --epochs=160 --num_workers=4 --seed=42 --pruner=PX --grad_accum_steps=1`,
    );
  });

  it('one line per method, with the official class names and rounds', () => {
    const c = officialCommand({ ...resnet, methods: ['px', 'snip', 'synflow', 'grasp', 'mag', 'rand', 'ntksap'], oneShotRounds: 1 });
    const lines = c.script.split('\n').filter((l) => l.startsWith('python'));
    expect(lines.map((l) => /--pruner=(\w+)/.exec(l)![1])).toEqual(['PX', 'SNIP', 'SynFlow', 'GraSP', 'Mag', 'Rand', 'NTKSAP']);
    expect(lines[1]).toContain("'rounds': 1,");
    expect(lines[2]).toContain("'rounds': 100,");
    expect(lines[6]).toContain("'ntksap_epsilon': 0.01, 'ntksap_R': 1");
    expect(c.script).toContain('px-official');
  });

  it('the lab controls (ERK, uniform, IMP) get a comment, never a --pruner the official code lacks', () => {
    const c = officialCommand({ ...resnet, methods: ['snip', 'erk', 'uniform', 'imp'] });
    expect(c.script.split('\n').filter((l) => l.startsWith('python'))).toHaveLength(1);
    expect(c.script).toContain('# ERK random: the official code has no such pruner');
    expect(c.script).not.toMatch(/--pruner=null|--experiment=null/);
  });

  it('PX as published (px-2024): the release launch script arguments (batch_limit 2, aux_model), and the commit to check out', () => {
    const c = officialCommand({ ...resnet, methods: ['px-2024', 'snip'] });
    const lines = c.script.split('\n');
    expect(lines[0]).toMatch(/git checkout 82ce2bf/);
    // launch_scripts/cifar10.sh at 82ce2bf: 'rounds': 100, 'batch_limit': 2, 'aux_model': '${arch}_no_act'
    expect(lines[1]).toBe(
      `python main.py --experiment=PX --experiment_name=CIFAR10/resnet20/0.018/PX/run42 --experiment_args="{'weight_remaining_ratio': 0.018, 'rounds': 100, 'batch_limit': 2, 'aux_model': 'resnet20_no_act'}" --dataset=CIFAR10 --dataset_args="{'root': 'data/CIFAR10'}" --arch=resnet20 --batch_size=128 --epochs=160 --num_workers=4 --seed=42 --pruner=PX --grad_accum_steps=1`,
    );
    expect(lines[3]).toContain("'batch_limit': 1");
    expect(c.notes.join(' ')).toMatch(/commit 82ce2bf/);
    expect(officialCommand({ ...resnet, model: 'vgg16_bn', methods: ['px-2024'] }).script).toContain("'aux_model': 'vgg16_bn_no_act'");
  });

  it('says when there is no official equivalent', () => {
    const mlp = officialCommand({ ...DEFAULT_CONFIG });
    expect(mlp.available).toBe(false);
    expect(mlp.script).toBe('');
    expect(mlp.notes.join(' ')).toMatch(/resnet20 or vgg16_bn/);
    const synth = officialCommand({ ...resnet, dataset: 'synthetic', scope: 'local' });
    expect(synth.available).toBe(true);
    expect(synth.notes.join(' ')).toMatch(/no synthetic data/);
    expect(synth.notes.join(' ')).toMatch(/globally/);
  });
});

describe('the official command writes a density as typed or to 4 significant digits', () => {
  it('0.8^18 from the snap grid prints 0.01801, not 17 digits; 0.018 as typed', () => {
    const grid = officialCommand({ ...resnet, density: 0.8 ** 18 }).script;
    expect(grid).toContain("'weight_remaining_ratio': 0.01801,");
    expect(grid).toContain('--experiment_name=CIFAR10/resnet20/0.01801/PX/run42');
    expect(grid).not.toMatch(/\d\.\d{6,}/);
    expect(officialCommand(resnet).script).toContain("'weight_remaining_ratio': 0.018,");
  });
  it('densityText: short values as they are, long ones to 4 significant digits', () => {
    expect([0.1, 0.018, 0.5, 0.8 ** 10, 0.8 ** 18, 1].map(densityText)).toEqual(['0.1', '0.018', '0.5', '0.1074', '0.01801', '1']);
  });
});
