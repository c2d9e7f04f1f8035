// One request-id space from the page to the worker: every request (pruning run, training or
// sweep, transfer, density scan, score histograms) gets its id here, once, and that id names it
// in the page's view, the page's client, the worker's runner and every event it streams back.
// Ids only grow, so a newer request always has the larger id.
let last = 0;

export function newRequestId(): number {
  return ++last;
}
