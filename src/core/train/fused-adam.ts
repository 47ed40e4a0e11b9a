import * as tf from '@tensorflow/tfjs';
import { ADAM, type AdamAttrs } from './wasm/adam';

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** The parts of tfjs' AdamOptimizer its applyGradients uses (protected in its typings). */
interface AdamState {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

/**
 * tfjs' Adam, with each variable's update in one kernel where Pawprint's wasm kernels run it
 * (bit-identical: kernels.c's adam_tile does tfjs' float32 operations in tfjs' order). tfjs
 * makes ~20 kernel calls per variable, ~200 per step of the reference convnet, a sixth of a
 * small step's time. Everywhere else (WebGPU, WebGL, cpu) it is tfjs' AdamOptimizer as it is;
 * it serialises as 'Adam'.
 */
export class FusedAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    if (tf.getBackend() !== 'wasm' || !tf.getKernel(ADAM, 'wasm')) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const attrs: AdamAttrs = { beta1: state.beta1, beta2: state.beta2, epsilon: state.epsilon, learningRate: state.learningRate };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i]!.variable;
        const v = state.accumulatedSecondMoment[i]!.variable;
        const inputs = { value, m, v, gradient, accBeta1: state.accBeta1, accBeta2: state.accBeta2 };
        const [value2, m2, v2] = tf.engine().runKernel(ADAM, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m2!);
        v.assign(v2!);
        value.assign(value2!);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, state.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, state.beta2));
    });
    state.incrementIterations();
  }
}
