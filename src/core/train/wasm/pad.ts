import * as tf from '@tensorflow/tfjs';
import { float32Bits } from './adam';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/**
 * PadV2 of an NHWC image batch in height and width (a backbone's ZeroPadding2D before each
 * stride-2 depthwise convolution), one output row per tile on the pool's threads; any other
 * padding goes to tfjs' kernel (`fallback`).
 */
export function pad(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { x } = call.inputs as { x: tf.TensorInfo };
    const { paddings, constantValue } = call.attrs as unknown as tf.PadV2Attrs;
    const spatial = x.shape.length === 4 && x.dtype === 'float32' && paddings[0]?.every((p) => p === 0) && paddings[3]?.every((p) => p === 0);
    if (!spatial) return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [[top, bottom], [left, right]] = [paddings[1]!, paddings[2]!] as [[number, number], [number, number]];
    const [oh, ow] = [h + top + bottom, w + left + right];
    const y = backend.makeOutput([n, oh, ow, c], 'float32');
    pool.run(JOB.pad, [n, h, w, c, top, left, oh, ow, offset(x), offset(y), float32Bits(constantValue)], n * oh);
    return y;
  };
}
