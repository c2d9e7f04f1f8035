import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/core/models';
import { nchwTensor } from '../src/core/models/input';
import { StandardOps } from '../src/core/models/ops';
import { checkStateDict, disposeMap, toParamMap, type StateDict } from '../src/core/models/state';
import { toFloat32 } from '../src/shared/safetensors';
import { tf } from '../src/core/tf';
import { CASES, readCase, relL2 } from './fixtures';

describe('forward pass matches PyTorch', () => {
  for (const name of CASES) {
    it(`${name}: eval and train-mode logits`, () => {
      const c = readCase(name);
      const model = buildModel(c.caseJson.arch);
      checkStateDict(model, c.weights.tensors);
      const sd: StateDict = new Map([...c.weights.tensors].map(([k, v]) => [k, toFloat32(v)]));
      const params = toParamMap(model, sd);
      const xs = c.inputs.tensors.get('x')!;
      const x = nchwTensor(toFloat32(xs), xs.shape);
      const dbg = c.debug();
      for (const mode of ['eval', 'train'] as const) {
        const logits = tf.tidy(() => model.forward(x, new StandardOps({ params, bn: mode })));
        const got = logits.dataSync();
        const want = toFloat32(dbg.tensors.get(`logits_${mode}`)!);
        expect(relL2(got, want)).toBeLessThan(1e-5);
        logits.dispose();
      }
      x.dispose();
      disposeMap(params);
    });
  }
});
