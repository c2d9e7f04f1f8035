// Where the time of a training request goes: measured means of each kind of work (pruning
// rounds, training steps, test evaluations), extrapolated over the work left. Evaluations are
// work too: ResNet-20's pass over MNIST's 10,000 test images costs as much as a dozen steps, and
// an ETA that left them out said 34 s at half way where 65 s remained.

export class WorkClock {
  private stepMs = 0;
  private steps = 0;
  private roundMs = 0;
  private rounds = 0;
  private evalMs = 0;
  private evals = 0;
  /**
   * @param evalGuess the time of one evaluation before any is measured, from the measured step
   * time (a forward pass over the test split, at a third of a training step per batch).
   */
  constructor(
    private stepsLeft: number,
    private roundsLeft: number,
    private evalsLeft = 0,
    private readonly evalGuess: (msPerStep: number) => number = () => 0,
  ) {}
  step(ms: number): void {
    this.stepMs += ms;
    this.steps++;
    this.stepsLeft = Math.max(0, this.stepsLeft - 1);
  }
  round(ms: number): void {
    this.roundMs += ms;
    this.rounds++;
    this.roundsLeft = Math.max(0, this.roundsLeft - 1);
  }
  evaluation(ms: number): void {
    this.evalMs += ms;
    this.evals++;
    this.evalsLeft = Math.max(0, this.evalsLeft - 1);
  }
  /** Skipped work (a cell that failed or ended early). */
  drop(steps: number, rounds: number, evals = 0): void {
    this.stepsLeft = Math.max(0, this.stepsLeft - steps);
    this.roundsLeft = Math.max(0, this.roundsLeft - rounds);
    this.evalsLeft = Math.max(0, this.evalsLeft - evals);
  }
  msPerStep(): number {
    return this.steps ? this.stepMs / this.steps : NaN;
  }
  /** Milliseconds left: unmeasured kinds of work are guessed from the measured ones. */
  etaMs(): number {
    const s = this.steps ? this.stepMs / this.steps : this.rounds ? this.roundMs / this.rounds : NaN;
    const r = this.rounds ? this.roundMs / this.rounds : s;
    const e = this.evals ? this.evalMs / this.evals : this.evalsLeft ? this.evalGuess(s) : 0;
    return this.stepsLeft * s + this.roundsLeft * r + this.evalsLeft * e;
  }
  progress(): number {
    const spent = this.stepMs + this.roundMs + this.evalMs;
    const eta = this.etaMs();
    if (!Number.isFinite(eta)) return 0;
    return spent + eta > 0 ? spent / (spent + eta) : 1;
  }
}

/**
 * Test evaluations one cell makes (core/train/trainer.ts): with live curves (`evalEvery`), one
 * before the first step and one every `evalEvery` steps except at an epoch's end or the last step;
 * and one at every epoch's end.
 */
export function evaluationsPerCell(totalSteps: number, perEpoch: number, evalEvery?: number): number {
  const epochs = Math.ceil(totalSteps / perEpoch);
  if (!evalEvery) return epochs;
  let inside = 0;
  for (let k = evalEvery; k < totalSteps; k += evalEvery) if (k % perEpoch !== 0) inside++;
  return 1 + inside + epochs;
}
