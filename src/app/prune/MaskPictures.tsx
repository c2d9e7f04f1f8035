// Mask pictures of a finished run: for the MLP, the 24 best-connected first-layer units as
// 28×28 images (white: the pixel still reaches the unit); for every model, a heat map per layer
// (outputs down, inputs across; brighter: more of the kernel kept). Drawn on canvases.
import { useEffect, useRef, useState } from 'react';
import type { MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import type { MaskArray } from '../../shared/protocol';
import { layerHeat, topUnits, unitImages, type Heat } from './maskPictureData';
import type { RunSource, RunView } from '../common/runView';
import { maskModule } from '../../shared/maskNames';

function drawImage(
  canvas: HTMLCanvasElement | null,
  w: number,
  h: number,
  value: (i: number) => number,
  color: [number, number, number],
): void {
  if (!canvas) return;
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const v = value(i);
    img.data[4 * i] = Math.round(20 + v * (color[0] - 20));
    img.data[4 * i + 1] = Math.round(20 + v * (color[1] - 20));
    img.data[4 * i + 2] = Math.round(20 + v * (color[2] - 20));
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function UnitImage({ pixels, color }: { pixels: Uint8Array; color: [number, number, number] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => drawImage(ref.current, 28, 28, (i) => pixels[i], color), [pixels, color]);
  return <canvas ref={ref} className="unit-image" aria-hidden="true" />;
}

function HeatMap({ heat, color, label }: { heat: Heat; color: [number, number, number]; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => drawImage(ref.current, heat.cols, heat.rows, (i) => heat.values[i], color), [heat, color]);
  return (
    <figure className="heat">
      <canvas ref={ref} className="heat-map" role="img" aria-label={`${label}: kept share per output × input unit`} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

export function MaskPictures({ view, source }: { view: RunView; source: RunSource }) {
  const [method, setMethod] = useState<MethodId>(view.config.methods[0]);
  const [masks, setMasks] = useState<MaskArray[] | null>(null);
  const [message, setMessage] = useState<string>('Mask pictures appear when the run is done.');
  const chosen = view.config.methods.includes(method) ? method : view.config.methods[0];
  useEffect(() => {
    setMasks(null);
    if (view.status !== 'done' || !source.masks) {
      setMessage(source.masks ? 'Mask pictures appear when the run is done.' : 'This source gives no masks.');
      return;
    }
    let alive = true;
    // the `done` event can reach the page a moment before the client records the run as
    // finished (its reply follows the events): ask again briefly before giving up
    const ask = async () => {
      for (let attempt = 0; attempt < 10 && alive; attempt++) {
        const m = await source.masks!(view.id, chosen);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 200));
      }
      return null;
    };
    ask().then(
      (m) => alive && (m ? setMasks(m) : setMessage('The worker no longer holds these masks (a newer run replaced them).')),
      (e: unknown) => alive && setMessage(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
    };
  }, [view.id, view.status, chosen, source]);
  const color = rgb(METHOD_INFO[chosen].color === '#7f7f7f' ? '#dddddd' : '#ffffff');
  const units = masks && masks[0] ? topUnits(unitImages(masks[0]), 24) : [];
  return (
    <div className="mask-pictures">
      <label className="mask-method">
        Method{' '}
        <select value={chosen} onChange={(e) => setMethod(e.target.value as MethodId)}>
          {view.config.methods.map((m) => (
            <option key={m} value={m}>
              {METHOD_INFO[m].label}
            </option>
          ))}
        </select>
      </label>
      {!masks ? (
        <p className="hint">{message}</p>
      ) : (
        <>
          {units.length ? (
            <div>
              <p className="hint">First layer: the 24 best-connected units as 28×28 images (white: the pixel still reaches the unit).</p>
              <div className="unit-grid" data-testid="unit-images">
                {units.map((u) => (
                  <UnitImage key={u.unit} pixels={u.pixels} color={color} />
                ))}
              </div>
            </div>
          ) : null}
          <p className="hint">Per layer: outputs down, inputs across; brighter = more of the kernel kept (black rows are dead units).</p>
          <div className="heat-grid" data-testid="heat-maps">
            {masks.map((m) => (
              <HeatMap key={m.name} heat={layerHeat(m)} color={color} label={maskModule(m.name)} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
