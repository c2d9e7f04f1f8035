// Every px-lab command, in the order `px-lab --help` lists them. Command modules export their
// Command (usage, flags, run) and import nothing from main.ts (no import cycle).
import type { Command } from './args';
import { layersCommand } from './layers';
import { ntkCommand } from './ntk';
import { pruneCommand } from './prune';
import { scoreCommand } from './score';
import { sweepCommand } from './sweep';
import { trainCommand } from './train';
import { transferCommand } from './transfer';

export const COMMANDS: Record<string, Command> = {
  score: scoreCommand,
  prune: pruneCommand,
  ntk: ntkCommand,
  layers: layersCommand,
  train: trainCommand,
  sweep: sweepCommand,
  transfer: transferCommand,
};
