// Every px-lab command, in the order `px-lab --help` lists them. Command modules export their
// USAGE and run function and import nothing from main.ts (no import cycle).
import { layersCommand, USAGE as LAYERS } from './layers';
import { ntkCommand, USAGE as NTK } from './ntk';
import { pruneCommand, USAGE as PRUNE } from './prune';
import { scoreCommand, USAGE as SCORE } from './score';
import { sweepCommand, USAGE as SWEEP } from './sweep';
import { trainCommand, USAGE as TRAIN } from './train';
import { transferCommand, USAGE as TRANSFER } from './transfer';

export interface Command {
  usage: string;
  run: (argv: string[]) => Promise<void>;
}

export const COMMANDS: Record<string, Command> = {
  score: { usage: SCORE, run: scoreCommand },
  prune: { usage: PRUNE, run: pruneCommand },
  ntk: { usage: NTK, run: ntkCommand },
  layers: { usage: LAYERS, run: layersCommand },
  train: { usage: TRAIN, run: trainCommand },
  sweep: { usage: SWEEP, run: sweepCommand },
  transfer: { usage: TRANSFER, run: transferCommand },
};
