// Datasets the CLI can open by name.
import type { LabDataset } from '../core/data/dataset';
import { openSynthetic } from '../core/data/registry';
import type { Model } from '../core/models';
import { CliError } from './common';

export const DATASET_HELP = 'synthetic';

export async function openDatasetForCli(name: string, model: Model, seed: number, _dataPath?: string): Promise<LabDataset> {
  if (name === 'synthetic') return openSynthetic({ shape: model.input, classes: model.classes, seed });
  throw new CliError(`unknown dataset "${name}" (known: ${DATASET_HELP})`);
}
