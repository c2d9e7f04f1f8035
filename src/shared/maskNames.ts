// How masks are named in files: PyTorch's torch.nn.utils.prune (the official code) stores the
// mask of `<module>.weight` as `<module>.weight_mask`. Every reader and writer of mask files
// (the CLI, core's mask loader, the worker's export, the page's download) names them here.

/** "conv1.weight" → "conv1.weight_mask". */
export function maskName(weight: string): string {
  return `${weight}_mask`;
}

/** "conv1.weight_mask" or "conv1.weight" → "conv1". */
export function maskModule(name: string): string {
  return name.replace(/\.weight(_mask)?$/, '');
}

/** Any mask entry of a state_dict (weight_mask, bias_mask). */
export function isMaskName(name: string): boolean {
  return name.endsWith('_mask');
}
