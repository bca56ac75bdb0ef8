/**
 * The kernels under the layers: GEMM (a Vector API micro-kernel with a scalar reference beside it,
 * an optional native BLAS), element-wise operations and activations, packed weight panels, and
 * the worker pool that splits rows across threads. Every output element is one fused
 * multiply-add chain in a fixed order, so results depend neither on threads nor on blocking.
 * Exported to rnn4j's own modules only.
 */
package org.rnn4j.math;
