// The page's one "newest request wins" rule: one current request per kind; starting one
// supersedes the one before, and only the current request's events and result count. The worker
// client's pruning runs (workerClient.ts) and every other kind (latestRequest.ts) keep their
// current request here.

export class Newest<T> {
  private value: T | null = null;

  get current(): T | null {
    return this.value;
  }

  /** Make `next` the current request; returns the request it supersedes, if any. */
  begin(next: T): T | null {
    const before = this.value;
    this.value = next;
    return before;
  }

  is(request: T): boolean {
    return this.value === request;
  }

  /** Let go of `request` if it is still the current one; true when it was. */
  end(request: T): boolean {
    if (this.value !== request) return false;
    this.value = null;
    return true;
  }
}
