package dev.mlp.core.tensor;

/**
 * The dense products every layer is built on. All arrays are row-major; every method overwrites
 * {@code c} (it never accumulates into it). Implementations must be deterministic: the same inputs
 * give the same bits.
 */
public interface Kernels {

  /** C[m×n] = A[m×k] · B[n×k]ᵀ — a linear layer's forward pass (x · Wᵀ). */
  void matmulTransB(float[] a, float[] b, float[] c, int m, int n, int k);

  /** C[m×n] = A[k×m]ᵀ · B[k×n] — a weight gradient (dYᵀ · X). */
  void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k);

  /** C[m×n] = A[m×k] · B[k×n] — an input gradient (dY · W). */
  void matmul(float[] a, float[] b, float[] c, int m, int n, int k);

  /** The kernels the layers use unless told otherwise. */
  static Kernels defaults() {
    return ScalarKernels.INSTANCE;
  }
}
