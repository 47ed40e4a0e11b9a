import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The opset Pawprint writes (Softmax on the last axis, Clip and Pad with tensor inputs). */
export const ONNX_OPSET = 13;
/** IR version 7 (ONNX 1.8) is the one that opset 13 came with. */
const IR_VERSION = 7;

/** An ONNX attribute: an int, ints, a string, or a float (spelled out: 1.0 is a float, not the int 1). */
export type Attribute = number | number[] | string | { float: number };

/** A tensor flowing through the graph being built: its name and whether it is an image (NCHW) or a matrix (N × features). */
export interface OnnxValue {
  name: string;
  rank: 2 | 4;
}

/**
 * Collects the nodes and initializers of one ONNX graph and writes it as a
 * ModelProto with onnx-proto's protobuf encoder. Names are made unique per
 * graph, prefixed by the Keras layer they come from.
 */
export class OnnxGraph {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly used = new Set<string>();

  /** A fresh tensor name starting with `base`. */
  name(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** A float32 constant (weights), in row-major order for `dims`. */
  floats(base: string, dims: number[], values: Float32Array): string {
    const name = this.name(base);
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.initializers.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes.slice() }));
    return name;
  }

  /** An int64 constant (Pad's pads, Reshape's shape). */
  ints(base: string, values: number[]): string {
    const name = this.name(base);
    this.initializers.push(onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values }));
    return name;
  }

  /** Adds a node; returns its (single) output's name. */
  node(op: string, inputs: string[], base: string, attributes: Record<string, Attribute> = {}): string {
    const output = this.name(base);
    this.nodes.push(
      onnx.NodeProto.create({
        opType: op,
        name: output,
        input: inputs,
        output: [output],
        attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      }),
    );
    return output;
  }

  /** The whole model: one float input and one float output with their shapes (`batch` the symbolic first dimension), and string metadata. */
  encode(model: {
    graphName: string;
    input: { name: string; dims: number[] };
    output: { name: string; dims: number[] };
    producerVersion: string;
    docString: string;
    metadata: [string, string][];
  }): Uint8Array {
    const valueInfo = ({ name, dims }: { name: string; dims: number[] }) =>
      onnx.ValueInfoProto.create({
        name,
        type: {
          tensorType: {
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: { dim: [{ dimParam: 'batch' }, ...dims.map((dimValue) => ({ dimValue }))] },
          },
        },
      });
    const proto = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'Pawprint',
      producerVersion: model.producerVersion,
      docString: model.docString,
      graph: {
        name: model.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: [valueInfo(model.input)],
        output: [valueInfo(model.output)],
      },
      metadataProps: model.metadata.map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(proto).finish();
  }
}

function attribute(name: string, value: Attribute) {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string') return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });
  if (Array.isArray(value)) return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: value });
  if (typeof value === 'number') return onnx.AttributeProto.create({ name, type: AttributeType.INT, i: value });
  return onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value.float });
}
