import onnxProto, { type onnx as Onnx } from 'onnx-proto';

// onnx-proto is CommonJS whose exports Node cannot detect statically, so a named ESM import fails at run time.
const { onnx } = onnxProto;

/** ONNX element types the stand-in uses (values of `TensorProto.DataType`). */
export const DType = {
  float: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
} as const;
export type DType = (typeof DType)[keyof typeof DType];

/** A graph input/output dimension: a fixed size or a symbolic name. */
export type Dim = number | string;

/** An attribute value; numbers are ints unless wrapped with {@link float}. */
export type AttrValue = number | number[] | { float: number };

/** Marks a node attribute as a float (plain numbers are written as ints). */
export const float = (value: number): { float: number } => ({ float: value });

/**
 * Collects nodes and initializers for one ONNX graph with unique, readable names.
 * Tensors are stored as raw little-endian bytes, as exporters do.
 */
export class GraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly initializers: Onnx.ITensorProto[] = [];
  private readonly inputs: Onnx.IValueInfoProto[] = [];
  private readonly outputs: Onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** Declares a graph input. */
  input(name: string, type: DType, dims: readonly Dim[]): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output (an existing value name). */
  output(name: string, type: DType, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Adds a float32 initializer. */
  floats(name: string, dims: readonly number[], data: Float32Array): string {
    return this.tensor(name, DType.float, dims, bytesOf(data), data.length);
  }

  /** Adds an int8 initializer. */
  int8s(name: string, dims: readonly number[], data: Int8Array): string {
    return this.tensor(name, DType.int8, dims, bytesOf(data), data.length);
  }

  /** Adds a uint8 initializer. */
  uint8s(name: string, dims: readonly number[], data: Uint8Array): string {
    return this.tensor(name, DType.uint8, dims, bytesOf(data), data.length);
  }

  /** Adds an int64 initializer. */
  int64s(name: string, dims: readonly number[], data: readonly number[]): string {
    return this.tensor(name, DType.int64, dims, bytesOf(BigInt64Array.from(data, (v) => BigInt(v))), data.length);
  }

  /**
   * Adds a node and returns its output names (`outputs` of them), named
   * `<prefix>/<op>_<n>` so a profile or a Netron view stays legible.
   */
  op(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttrValue> = {},
    outputs = 1,
    prefix = '',
  ): string[] {
    const id = this.counter++;
    const base = `${prefix}${prefix ? '/' : ''}${opType}_${id}`;
    const outs = Array.from({ length: outputs }, (_, i) => (outputs === 1 ? base : `${base}:${i}`));
    for (const o of outs) this.claim(o);
    this.nodes.push({
      name: base,
      opType,
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
    });
    return outs;
  }

  /** Like {@link op} with one output, returned directly. */
  op1(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, prefix = ''): string {
    const [out] = this.op(opType, inputs, attrs, 1, prefix);
    if (out === undefined) throw new Error('unreachable: op returned no output');
    return out;
  }

  /** Renames the last node's output so it becomes a named graph output. */
  renameLastOutput(name: string): string {
    const last = this.nodes.at(-1);
    if (last?.output?.length !== 1) throw new Error('renameLastOutput needs a last node with one output');
    this.claim(name);
    last.output = [name];
    return name;
  }

  /** Serialises the graph as an ONNX model. */
  encode(options: { graphName: string; opset: number; irVersion: number; docString: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: options.irVersion,
      producerName: 'newsrag-standin',
      producerVersion: '1',
      docString: options.docString,
      opsetImport: [{ domain: '', version: options.opset }],
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private tensor(name: string, dataType: DType, dims: readonly number[], rawData: Uint8Array, length: number): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (expected !== length)
      throw new RangeError(`initializer ${name}: dims [${dims.join(',')}] need ${expected} values, got ${length}`);
    this.claim(name);
    this.initializers.push({ name, dataType, dims: [...dims], rawData });
    return name;
  }

  private claim(name: string): void {
    if (this.used.has(name)) throw new Error(`duplicate ONNX value name: ${name}`);
    this.used.add(name);
  }
}

function valueInfo(name: string, elemType: DType, dims: readonly Dim[]): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): Onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'object') return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.INT, i: value };
}

/** Little-endian bytes of a typed array (x86/ARM are little-endian, as ONNX raw_data requires). */
function bytesOf(a: Float32Array | Int8Array | Uint8Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
