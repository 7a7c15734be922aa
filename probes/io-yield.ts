// Keeps a probe's own bookkeeping out of other probes' timestamps. Node runs every JS callback of
// one event-loop poll phase back to back; if finishing a probe (building its result, starting the
// next probe, connecting) ran inside the socket callback, every other response that arrived in the
// same poll would wait for it before its first-byte stamp. Work queued here runs one task per
// loop iteration, in the check phase, so ready sockets are read and stamped between two tasks.
// (Node's event loop phases: https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick)

const queue: (() => void)[] = [];
let armed = false;

function drain(): void {
  const task = queue.shift();
  if (queue.length > 0) setImmediate(drain);
  else armed = false;
  task?.();
}

/**
 * Runs `task` after pending I/O has been read: one task per event-loop iteration, in order.
 * A task that throws is a bug: it surfaces as an uncaught exception, as it would inline.
 */
export function afterIo(task: () => void): void {
  queue.push(task);
  if (armed) return;
  armed = true;
  setImmediate(drain);
}
