// px-lab layers: per-layer density, width, effective (path-carrying) weights, collapse and FLOPs.
import { runLayerStatsJob } from '../core/metrics/arrays';
import { layerTableCsv, snakeCase, type LayerTable } from '../core/metrics/layers';
import { loadModel, loadWeights, log, setupBackend, writeFile } from './common';
import { asCliError, required, switchFlags, valueFlags, type Args } from './args';
import { loadMasks } from './masks-file';

const USAGE = `px-lab layers --arch <zoo name | spec.json> [--masks M.safetensors] [--weights W.safetensors] [--csv] [--out FILE]
     Per prunable layer: kept/total (density), output width (units with a kept incoming weight),
     effective width and weights (on a complete input→output path of kept weights), collapsed;
     network: kept, effective density, FLOPs (2·MACs of kept weights per input), disconnected.
     JSON by default, CSV with --csv; to stdout without --out. No masks: the dense net. Structure
     only: --weights is just checked against the arch.`;

function snakeObject(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [snakeCase(k), v]));
}

export function layerTableJson(t: LayerTable, extra: Record<string, unknown>): string {
  return `${JSON.stringify({ ...extra, layers: t.layers.map(snakeObject), network: snakeObject(t.network) }, null, 1)}\n`;
}

async function layers(v: Args): Promise<void> {
  const model = loadModel(required(v, 'arch'));
  if (v.weights) loadWeights(model, v.weights as string);
  const masks = v.masks ? loadMasks(model, v.masks as string) : undefined;
  const backend = await setupBackend(v);
  const t = await asCliError(() => runLayerStatsJob(model, masks));
  const text = v.csv
    ? layerTableCsv(t)
    : layerTableJson(t, {
        arch: model.spec,
        masks: (v.masks as string | undefined) ?? null,
        flops_definition:
          '2 x multiply-accumulates of kept weights for one input (conv weights at every output position); biases, BN, activations and pooling not counted',
      });
  if (v.out) {
    writeFile(v.out as string, text);
    const n = t.network;
    log(
      `layers of ${model.label}: kept ${n.kept}/${n.total}, effective ${n.effective} (${(100 * n.effectiveDensity).toFixed(3)}%), ${n.collapsedLayers.length} collapsed${n.disconnected ? ', DISCONNECTED' : ''} on ${backend} → ${v.out}`,
    );
  } else process.stdout.write(text);
}

export const layersCommand = {
  usage: USAGE,
  options: { ...valueFlags('arch', 'masks', 'weights', 'out'), ...switchFlags('csv') },
  run: layers,
};
