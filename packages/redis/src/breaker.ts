export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive availability failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long an open circuit fails fast before letting one probe through. Default 2,000 ms. */
  coolDownMs?: number;
}

/**
 * Consecutive-failure circuit breaker. While open, calls fail at once (no command, no timeout to wait
 * for), so an outage costs microseconds per call instead of a command timeout; after the cool-down one
 * probe goes through (half-open) and its outcome closes or re-opens the circuit.
 */
export class CircuitBreaker {
  state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly threshold: number;
  private readonly onChange: (state: BreakerState, cause?: unknown) => void;
  readonly coolDownMs: number;

  constructor(options: BreakerOptions, onChange: (state: BreakerState, cause?: unknown) => void) {
    this.onChange = onChange;
    this.threshold = Math.max(1, options.failureThreshold ?? 5);
    this.coolDownMs = Math.max(0, options.coolDownMs ?? 2_000);
  }

  /** Whether a call may go to the server now. Closed: one comparison. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (Date.now() - this.openedAt < this.coolDownMs) return false;
      this.state = 'half-open';
      this.probing = false;
      this.onChange('half-open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Milliseconds until an open circuit lets a probe through. */
  retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.coolDownMs - (Date.now() - this.openedAt)) : 0;
  }

  success(): void {
    this.failures = 0;
    if (this.state !== 'closed') {
      this.state = 'closed';
      this.probing = false;
      this.onChange('closed');
    }
  }

  failure(cause: unknown): void {
    this.failures++;
    if (this.state === 'half-open' || (this.state === 'closed' && this.failures >= this.threshold)) {
      this.state = 'open';
      this.openedAt = Date.now();
      this.probing = false;
      this.onChange('open', cause);
    }
  }
}
