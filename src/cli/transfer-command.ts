// Registers `px-lab transfer`.
import { registerCommand } from './main';
import { transferCommand, USAGE } from './transfer';

registerCommand('transfer', { usage: USAGE, run: transferCommand });
