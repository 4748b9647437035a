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

/// Rounds of busyWork until `ms` has passed on this thread (checked between rounds): {rounds, ms, count}.
export function busyFor(ms, now = () => performance.now()) {
  const start = now();
  let rounds = 0;
  let count = 0;
  do {
    count += busyWork(1);
    rounds++;
  } while (now() - start < ms);
  return { rounds, ms: now() - start, count };
}
