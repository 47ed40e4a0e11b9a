import * as tf from '@tensorflow/tfjs';
import { REDUCTION_GROUPS } from './conv2d-backprop-filter';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/** Rows a group should have at least, so that a group is worth a tile. */
const MIN_ROWS = 256;

/**
 * Sum over every axis but the last: a bias gradient (a conv layer's dy summed over batch, rows
 * and columns). tfjs-backend-wasm transposes the reduced axes last first, a full copy of the
 * largest activation, which cost as much as a convolution. Groups of rows are summed into their
 * own partial rows, added in order (deterministic on any number of threads); other reductions go
 * to tfjs' kernel (`fallback`).
 */
export function sum(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { x } = call.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = call.attrs as unknown as tf.SumAttrs;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((value, i) => value === i);
    if (!leading || x.dtype !== 'float32') return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const cols = x.shape[rank - 1]!;
    const rows = tf.util.sizeFromShape(x.shape) / cols;
    const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols], 'float32');
    const groups = Math.max(1, Math.min(REDUCTION_GROUPS, Math.floor(rows / MIN_ROWS)));
    const partials = pool.partialsFor(groups, cols);
    pool.run(JOB.columnSum, [rows, cols, offset(x), partials, groups], groups);
    pool.sumGroups(partials, groups, cols, offset(out));
    return out;
  };
}
