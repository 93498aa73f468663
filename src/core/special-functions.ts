// erfc and e^a·erfc(b) in double precision, written for the analytic solutions.
//
// |x| < 2: erf by the all-positive series erf x = (2/√π) e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)),
// no cancellation in the sum; erfc = 1 − erf then loses at most ~2.5 decimal digits (erfc(2) ≈ 5e-3).
// x ≥ 2: the continued fraction erfc x = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))),
// evaluated bottom-up from a fixed depth of 120.

const SQRT_PI = Math.sqrt(Math.PI);
const SWITCH = 2;

function erfBySeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

/** The continued fraction K(x) with erfc x = e^{−x²} K(x) / √π, for x ≥ 2. */
function continuedFraction(x: number): number {
  let tail = x;
  for (let k = 120; k >= 1; k--) tail = x + k / 2 / tail;
  return 1 / tail;
}

/** Complementary error function. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < SWITCH) return 1 - erfBySeries(x);
  return (Math.exp(-x * x) * continuedFraction(x)) / SQRT_PI;
}

/** e^a · erfc(b) without overflow or underflow of the separate factors. */
export function expTimesErfc(a: number, b: number): number {
  if (b >= SWITCH) return (Math.exp(a - b * b) * continuedFraction(b)) / SQRT_PI;
  // Here erfc(b) > 4e-3, so its logarithm is tame; e^a alone would overflow above a ≈ 709.8.
  return a > 700 ? Math.exp(a + Math.log(erfc(b))) : Math.exp(a) * erfc(b);
}
