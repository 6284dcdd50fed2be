import { noGrad, tidy, type DType, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { clusteredParameter, isClustered } from '../clustering/clustered-parameter.js';
import { isPruned, typeOf } from '../pruning/masked-parameter.js';
import { fromGaps, toGaps } from './gaps.js';
import { huffmanDecode, huffmanEncode } from './huffman.js';

const MAGIC = 'MPDC';
const FORMAT = 'mapnn-deep-compression';

/** [byte offset into the body, byte length]. */
type Section = [number, number];

interface DenseRecord { name: string; kind: 'dense'; shape: number[]; dtype: DType; data: Section }
interface SharedRecord {
  name: string;
  kind: 'shared';
  shape: number[];
  /** Codebook size (the zero code included). */
  codes: number;
  zeroCluster: boolean;
  /** Number of coded values and of gap symbols. */
  values: number;
  gaps: number;
  codebook: Section;
  codeLengths: Section;
  codeBits: Section;
  gapLengths: Section;
  gapBits: Section;
}
type TensorRecord = DenseRecord | SharedRecord;

/** A decoded tensor: dense values in its dtype's storage. */
export interface DecodedTensor { shape: number[]; dtype: DType; data: Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array | Uint16Array }

const STORAGE = { float32: Float32Array, float64: Float64Array, int64: Float64Array, float16: Uint16Array, int32: Int32Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array } as const;

/** Appends byte sections to a body and hands out their [offset, length]. */
class Body {
  private parts: Uint8Array[] = [];
  private size = 0;

  add(view: ArrayBufferView): Section {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
    this.parts.push(bytes);
    this.size += bytes.length;
    return [this.size - bytes.length, bytes.length];
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.length; }
    return out;
  }
}

/** The Huffman-coded record of one clustered weight. */
function sharedRecord(name: string, module: Module<any, any>, pname: string, body: Body): SharedRecord {
  const { centroids, indices, zeroCluster } = clusteredParameter(module, pname);
  const codebook = Float32Array.from(centroids.dataSync());
  if (zeroCluster) codebook[0] = 0;
  const flat = indices.dataSync() as Int32Array;
  const { gaps, values } = zeroCluster ? toGaps(flat, 0) : { gaps: new Int32Array(0), values: flat };
  const codeCoded = huffmanEncode(values, codebook.length);
  const gapAlphabet = gaps.length ? Math.max(...gaps) + 1 : 0;
  const gapCoded = huffmanEncode(gaps, Math.max(gapAlphabet, 1));
  return {
    name, kind: 'shared', shape: [...indices.shape], codes: codebook.length, zeroCluster, values: values.length, gaps: gaps.length,
    codebook: body.add(codebook),
    codeLengths: body.add(codeCoded.lengths),
    codeBits: body.add(codeCoded.bits),
    gapLengths: body.add(gapCoded.lengths.subarray(0, gapAlphabet)),
    gapBits: body.add(gapCoded.bits),
  };
}

/**
 * The Deep Compression file of a clustered model (Han et al. 2016): each clustered weight is
 * its float32 codebook, the Huffman-coded codes of its nonzero entries and — with a zero
 * cluster — the Huffman-coded gaps between them (relative indexing, escapes at 255); every
 * other tensor (biases, unclustered weights, buffers) is stored raw. Layout: `MPDC`, a
 * little-endian u32 header length, a JSON header listing each tensor's sections, the body.
 * `decodeDeepCompressed` restores the clustered weights exactly.
 */
export function encodeDeepCompressed(model: Module<any, any>): Uint8Array {
  const body = new Body();
  const records: TensorRecord[] = [];
  const skip = new Set<string>();
  for (const [prefix, m] of model.namedModules()) {
    const dot = prefix ? `${prefix}.` : '';
    for (const key of Object.keys(m)) {
      if (key.endsWith('_mask') && isPruned(m, key.slice(0, -'_mask'.length))) {
        throw new TypeError(`encodeDeepCompressed: ${typeOf(m)} '${prefix}' is pruned but not clustered; call clusterWeights (or removePruning) first`);
      }
      if (!key.endsWith('_centroids')) continue;
      const pname = key.slice(0, -'_centroids'.length);
      if (!isClustered(m, pname)) continue;
      records.push(sharedRecord(`${dot}${pname}`, m, pname, body));
      skip.add(`${dot}${pname}_centroids`).add(`${dot}${pname}_indices`);
    }
  }
  for (const [name, t] of Object.entries(model.stateDict() as Record<string, Tensor>)) {
    if (skip.has(name)) continue;
    records.push({ name, kind: 'dense', shape: [...t.shape], dtype: t.dtype, data: body.add(t.dataSync()) });
  }
  const header = new TextEncoder().encode(JSON.stringify({ format: FORMAT, version: 1, tensors: records }));
  const payload = body.bytes();
  const out = new Uint8Array(8 + header.length + payload.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  out.set(payload, 8 + header.length);
  return out;
}

/** A copy of a body section as a typed array of `Ctor`. */
function section<T>(body: Uint8Array, [offset, length]: Section, Ctor: { new (b: ArrayBuffer): T }): T {
  return new Ctor(body.slice(offset, offset + length).buffer);
}

/** The dense float32 weight a shared record stands for: codebook[code], code 0 exactly +0 with a zero cluster. */
function decodeShared(r: SharedRecord, body: Uint8Array): Float32Array {
  const codebook = section(body, r.codebook, Float32Array);
  const values = huffmanDecode(section(body, r.codeLengths, Uint8Array), section(body, r.codeBits, Uint8Array), r.values);
  const size = r.shape.reduce((a, b) => a * b, 1);
  const codes = r.zeroCluster ? fromGaps(huffmanDecode(section(body, r.gapLengths, Uint8Array), section(body, r.gapBits, Uint8Array), r.gaps), values, 0, size) : values;
  if (codes.length !== size) throw new RangeError(`decodeDeepCompressed: '${r.name}' decodes to ${codes.length} codes, its shape ${JSON.stringify(r.shape)} holds ${size}`);
  return Float32Array.from(codes, (c) => (r.zeroCluster && c === 0 ? 0 : codebook[c]!));
}

/** Reads a file of `encodeDeepCompressed` back: every tensor by its state-dict name, dense. */
export function decodeDeepCompressed(bytes: Uint8Array): Record<string, DecodedTensor> {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new TypeError(`decodeDeepCompressed: not a Deep Compression file (no '${MAGIC}' magic)`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as { format: string; version: number; tensors: TensorRecord[] };
  if (header.format !== FORMAT || header.version !== 1) throw new TypeError(`decodeDeepCompressed: unsupported format ${header.format} v${header.version}`);
  const body = bytes.subarray(8 + headerLength);
  const out: Record<string, DecodedTensor> = {};
  for (const r of header.tensors) {
    out[r.name] = r.kind === 'shared'
      ? { shape: r.shape, dtype: 'float32', data: decodeShared(r, body) }
      : { shape: r.shape, dtype: r.dtype, data: new STORAGE[r.dtype](body.slice(r.data[0], r.data[0] + r.data[1]).buffer) };
  }
  return out;
}

/** Loads a Deep Compression file into an unclustered, unpruned model of the same architecture (dense weights, bit-exact). */
export function loadDeepCompressed<M extends Module<any, any>>(model: M, bytes: Uint8Array): M {
  const decoded = decodeDeepCompressed(bytes);
  tidy(() => noGrad(() => model.loadStateDict(decoded)));
  return model;
}

