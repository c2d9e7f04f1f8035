// Registers `px-lab train` and `px-lab sweep`.
import { registerCommand } from './main';
import { trainCommand, USAGE as TRAIN } from './train';
import { sweepCommand, USAGE as SWEEP } from './sweep';

registerCommand('train', { usage: TRAIN, run: trainCommand });
registerCommand('sweep', { usage: SWEEP, run: sweepCommand });
