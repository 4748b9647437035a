// The responsiveness card's CPU-bound job, one function for the page's own thread and its worker: counting primes by trial division.

/// Primes below 20,000 by trial division, `rounds` times over; returns the count (so the work cannot be skipped).
export function busyWork(rounds) {
  let count = 0;
  for (let r = 0; r < rounds; r++) {
    for (let n = 2; n < 20000; n++) {
      let prime = true;
      for (let d = 2; d * d <= n; d++) {
        if (n % d === 0) { prime = false; break; }
      }
      if (prime) count++;
    }
  }
  return count;
}

/// The rounds of busyWork that take about `targetMs` on this thread: timed rounds until `sampleMs` has passed, after
/// as long untimed (the JIT compiles the loop first: timing the cold rounds would make the job too short).
export function calibrate(targetMs, sampleMs = 100, now = () => performance.now()) {
  for (const warm = now(); now() - warm < sampleMs;) busyWork(1);
  const start = now();
  let rounds = 0;
  while (now() - start < sampleMs) {
    busyWork(1);
    rounds++;
  }
  const perRound = (now() - start) / rounds;
  return { rounds: Math.max(1, Math.round(targetMs / perRound)), perRoundMs: perRound };
}
