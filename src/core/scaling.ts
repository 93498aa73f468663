// Power-law fits y = c·x^p by least squares on log y against log x, for the scaling of clearance
// times with α and λ.

/** Exponent p and prefactor c of y = c·x^p; r2: coefficient of determination in log space. */
export interface PowerLaw {
  exponent: number;
  prefactor: number;
  r2: number;
  points: number;
}

/** Fits y = c·x^p to the pairs with x > 0 and y > 0 (finite); null with fewer than two such pairs. */
export function fitPowerLaw(x: readonly number[], y: readonly (number | null)[]): PowerLaw | null {
  const pairs: [number, number][] = [];
  x.forEach((xi, index) => {
    const yi = y[index];
    if (xi > 0 && yi !== null && yi > 0 && Number.isFinite(xi) && Number.isFinite(yi)) pairs.push([Math.log(xi), Math.log(yi)]);
  });
  if (pairs.length < 2) return null;
  const n = pairs.length;
  const meanX = pairs.reduce((sum, [lx]) => sum + lx, 0) / n;
  const meanY = pairs.reduce((sum, [, ly]) => sum + ly, 0) / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (const [lx, ly] of pairs) {
    sxx += (lx - meanX) ** 2;
    sxy += (lx - meanX) * (ly - meanY);
    syy += (ly - meanY) ** 2;
  }
  if (sxx === 0) return null;
  const exponent = sxy / sxx;
  return {
    exponent,
    prefactor: Math.exp(meanY - exponent * meanX),
    r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy),
    points: n,
  };
}
