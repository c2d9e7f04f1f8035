// Eigenvalues, trace and condition number of a symmetric matrix held in float64 on the host
// (the NTK Gram matrix Θ). Uses ml-matrix's symmetric solver (Householder tridiagonalisation +
// implicit QL, the JAMA/EISPACK tred2/tql2 pair).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Float32 machine epsilon: Θ is accumulated from float32 Jacobian products. */
export const FLOAT32_EPS = 2 ** -23;

export interface Spectrum {
  /** Eigenvalues of Θ in descending order (float64). */
  eigenvaluesDesc: Float64Array;
  /** Σ Θ_ii, summed in float64 from the diagonal (not from the eigenvalues). */
  trace: number;
  /**
   * λmax / λmin⁺, where λmin⁺ is the smallest eigenvalue above `relTol · λmax`.
   * Infinity when Θ has no positive eigenvalue (an all-zero Θ).
   */
  condition: number;
  /** Eigenvalues above `relTol · λmax` (the numerical rank of Θ). */
  rank: number;
  /** The λmin⁺ used for the condition number (0 when there is none). */
  minPositive: number;
  /** The relative tolerance λmin⁺ had to exceed. */
  relTol: number;
}

/**
 * Default rank tolerance relative to λmax: size · ε₃₂, as numpy's matrix_rank with the epsilon of
 * the precision Θ was formed in. Eigenvalues below it are indistinguishable from float32 rounding
 * (the fixtures' own tails reach 1e-15·λmax, some negative).
 */
export function defaultRelTol(size: number): number {
  return size * FLOAT32_EPS;
}

/** Symmetric eigenvalues (descending) of a row-major size×size float64 matrix. */
export function symmetricEigenvaluesDesc(a: Float64Array, size: number): Float64Array {
  if (a.length !== size * size) throw new Error(`eigenvalues: ${a.length} values for a ${size}×${size} matrix`);
  if (size === 0) return new Float64Array(0);
  const rows: number[][] = [];
  // symmetrise: Θ is symmetric up to rounding, and the solver reads only one triangle's worth
  for (let i = 0; i < size; i++) {
    const r = new Array<number>(size);
    for (let j = 0; j < size; j++) r[j] = 0.5 * (a[i * size + j] + a[j * size + i]);
    rows.push(r);
  }
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  return Float64Array.from(evd.realEigenvalues).sort((x, y) => y - x);
}

/** Eigenvalues, trace, rank and condition number of a symmetric matrix. */
export function spectrum(a: Float64Array, size: number, relTol = defaultRelTol(size)): Spectrum {
  const eigenvaluesDesc = symmetricEigenvaluesDesc(a, size);
  let trace = 0;
  for (let i = 0; i < size; i++) trace += a[i * size + i];
  const lmax = size ? eigenvaluesDesc[0] : 0;
  let rank = 0;
  let minPositive = 0;
  if (lmax > 0) {
    const floor = relTol * lmax;
    for (const l of eigenvaluesDesc) {
      if (l > floor) {
        rank++;
        minPositive = l;
      }
    }
  }
  return { eigenvaluesDesc, trace, condition: rank ? lmax / minPositive : Infinity, rank, minPositive, relTol };
}
