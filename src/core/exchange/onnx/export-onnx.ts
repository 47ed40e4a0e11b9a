import type { Store } from '../../store';
import { readModelGraph } from '../model-graph';
import { modelMetadata, type ModelMetadata, type ModelSource } from '../model-metadata';
import { exportedModel, readModelSource } from '../model-files';
import { convertLayer } from './layer-ops';
import { OnnxGraph, ONNX_OPSET, type OnnxValue } from './onnx-graph';

export const ONNX_FILE = 'model.onnx';
/** The graph's input and output names, as README and metadata name them. */
export const ONNX_INPUT = 'image';
export const ONNX_OUTPUT = 'probabilities';

/**
 * "Download ONNX": a version's model as model.onnx — a head on pretrained
 * features joined with its backbone, as "Download model" writes it
 * (UnsupportedLayerError for a layer ONNX cannot take; nothing is made).
 */
export async function exportOnnx(store: Store, versionId: string): Promise<Uint8Array> {
  const { source, weights } = await exportedModel(store, await readModelSource(store, versionId));
  return modelToOnnx(source, weights);
}

/**
 * The model as an ONNX graph (opset 13): input `image`, float32 NHWC
 * [batch, size, size, 3] in [0, 1], prepared as for training (metadata says
 * how); output `probabilities`, [batch, classes]. The image is transposed to
 * NCHW once at the start; every layer then becomes its ONNX nodes.
 */
export function modelToOnnx(source: ModelSource, weights: Uint8Array): Uint8Array {
  const model = readModelGraph(source.model, weights);
  const graph = new OnnxGraph();
  const input = graph.name(ONNX_INPUT);
  const values = new Map<string, OnnxValue>([[model.input.name, { name: graph.node('Transpose', [input], 'nchw', { perm: [0, 3, 1, 2] }), rank: 4 }]]);
  for (const layer of model.layers) {
    const inputs = layer.inputs.map((name) => values.get(name)!);
    values.set(layer.name, convertLayer(graph, layer, inputs));
  }
  const last = values.get(model.output)!;
  const output = graph.node('Identity', [last.name], ONNX_OUTPUT);
  const metadata = modelMetadata(source);
  return graph.encode({
    graphName: source.model.architecture,
    input: { name: input, dims: model.input.shape },
    output: { name: output, dims: [source.model.classNames.length] },
    producerVersion: metadata.appVersion ?? '',
    docString: `Pawprint model of version “${source.version.message}” (${source.versionId}), opset ${ONNX_OPSET}. ${describeIo(metadata)}`,
    metadata: onnxMetadata(metadata),
  });
}

function describeIo(metadata: ModelMetadata): string {
  const [size] = metadata.inputShape;
  return `Input “${ONNX_INPUT}”: float32, NHWC [batch, ${size}, ${size}, 3], ${metadata.normalization}. Output “${ONNX_OUTPUT}”: ${metadata.output}.`;
}

/** metadata_props: what a program needs to feed the model and read it, as strings (JSON where structured). */
function onnxMetadata(metadata: ModelMetadata): [string, string][] {
  return [
    ['labels', JSON.stringify(metadata.labels)],
    ['input_name', ONNX_INPUT],
    ['input_layout', 'NHWC'],
    ['input_shape', JSON.stringify(metadata.inputShape)],
    ['image_size', String(metadata.imageSize)],
    ['preprocessing', metadata.normalization],
    ['output_name', ONNX_OUTPUT],
    ['output', metadata.output],
    ['architecture', metadata.architecture],
    ['pawprint_version_id', metadata.version.id],
    ['dataset_dvc', JSON.stringify(metadata.dataset.dvc)],
    ['metrics', JSON.stringify(metadata.metrics)],
  ];
}
