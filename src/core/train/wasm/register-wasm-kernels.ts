import * as tf from '@tensorflow/tfjs';
import { adam, ADAM } from './adam';
import { batchMatMul } from './batch-mat-mul';
import { batchNorm } from './batch-norm';
import { conv2dKernels } from './conv2d';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';
import { conv2dBackpropInput } from './conv2d-backprop-input';
import { depthwiseKernels } from './depthwise-conv2d';
import { biasAdd, clip, fuseReluGradient, relu, reluGrad, RELU_GRAD } from './elementwise';
import { sharingIdentity } from './identity';
import { KernelContext } from './kernel-context';
import type { KernelPool, PoolOptions } from './kernel-pool';
import { maxPool } from './max-pool';
import { maxPoolGrad } from './max-pool-grad';
import { pad } from './pad';
import { sum } from './sum';

let registered: KernelContext | null = null;

/** tfjs' own kernel for `name` on wasm, or one that says it is missing. */
function original(name: string): tf.KernelConfig | { kernelFunc: tf.KernelFunc; setupFunc?: undefined; disposeFunc?: undefined } {
  return (
    tf.getKernel(name, 'wasm') ?? {
      kernelFunc: () => {
        throw new Error(`tfjs-backend-wasm has no ${name} kernel for this case.`);
      },
    }
  );
}

/**
 * Makes the wasm backend train fast: Pawprint's kernels (kernels.c, on `options.threads`
 * threads) replace tfjs-backend-wasm's convolutions, their gradients, matmuls with a transposed
 * operand, bias adds and gradients, ReLU and its gradient (one pass), 2×2 max pools and their gradients,
 * Adam's update (one pass per variable, see FusedAdam), and its copying Identity/Cast; and for a
 * pretrained backbone's inference, depthwise convolutions, batch normalisation, clipping and padding. Each replaced
 * kernel keeps tfjs' setup function, so tfjs' own version stays ready for the cases handed back
 * to it. Call once, before or after the backend starts; later calls return the first context.
 */
export function registerWasmKernels(options: PoolOptions): KernelContext {
  if (registered) return registered;
  const context = new KernelContext(options);
  const replace = (name: string, kernelFunc: (fallback: tf.KernelFunc) => tf.KernelFunc) => {
    const config = original(name);
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc(config.kernelFunc), setupFunc: config.setupFunc, disposeFunc: config.disposeFunc });
  };
  const conv = conv2dKernels(context, original(tf.FusedConv2D).kernelFunc);
  replace(tf.Conv2D, () => conv.conv2d);
  replace(tf.FusedConv2D, () => conv.fusedConv2d);
  replace(tf.Conv2DBackpropFilter, () => conv2dBackpropFilter(context));
  replace(tf.Conv2DBackpropInput, () => conv2dBackpropInput(context));
  replace(tf.BatchMatMul, (fallback) => batchMatMul(context, fallback));
  replace(tf.Sum, (fallback) => sum(context, fallback));
  replace(tf.MaxPool, (fallback) => maxPool(context, fallback));
  replace(tf.MaxPoolGrad, () => maxPoolGrad(context));
  replace(tf.Identity, sharingIdentity);
  replace(tf.Cast, sharingIdentity);
  replace(tf.Add, (fallback) => biasAdd(context, fallback));
  replace(tf.Relu, (fallback) => relu(context, fallback));
  replace(tf.ClipByValue, (fallback) => clip(context, fallback));
  replace(tf.FusedBatchNorm, (fallback) => batchNorm(context, fallback));
  replace(tf.PadV2, (fallback) => pad(context, fallback));
  const depthwise = depthwiseKernels(context, { plain: original(tf.DepthwiseConv2dNative).kernelFunc, fused: original(tf.FusedDepthwiseConv2D).kernelFunc });
  replace(tf.DepthwiseConv2dNative, () => depthwise.plain);
  replace(tf.FusedDepthwiseConv2D, () => depthwise.fused);
  tf.registerKernel({ kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad(context) });
  tf.registerKernel({ kernelName: ADAM, backendName: 'wasm', kernelFunc: adam(context) });
  fuseReluGradient();
  registered = context;
  return context;
}

/** The pool kernels ran on last, for the page's "N threads" line (null before any kernel ran). */
export function currentKernelPool(): KernelPool | null {
  return registered?.current ?? null;
}

/** The kernel pool of a wasm backend instance, made now if no kernel ran on it yet. */
export function wasmKernelPool(backend: object): KernelPool {
  if (!registered) throw new Error('Pawprint\'s wasm kernels are not registered.');
  return registered.of(backend).pool;
}

/** The kernel pool of tfjs' wasm backend (it must have started). */
export function activeWasmKernelPool(): KernelPool {
  const backend = tf.findBackend('wasm');
  if (!backend) throw new Error('The wasm backend has not started.');
  return wasmKernelPool(backend);
}
