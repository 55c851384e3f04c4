// How much V8's heap may grow between full collections, for the commands that read a whole roster
// and for a restore of a batch or a time (as many members as a prune removed).
// By default V8 let a million-row apply's heap reach four times its live data before collecting
// again (1.1 GB RSS for ~300 MB live); growing by 30% at most keeps it near the working set, at no
// measured cost in time (docs/decisions.md). The flag is read at each collection, so setting it
// before the roster is read takes effect. Not at start-up: loading node:v8 costs every command
// ~10 ms.
export async function boundHeapGrowth(): Promise<void> {
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--heap-growing-percent=30');
}
