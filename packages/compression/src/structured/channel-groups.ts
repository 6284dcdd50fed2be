import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, Dropout, ELU, Flatten, GELU, GlobalAvgPool2d, LeakyReLU,
  Linear, LogSoftmax, MaxPool2d, ReLU, ResidualBlock, SELU, Sequential, SiLU, Sigmoid, Softmax, Softplus, Tanh, type Module,
} from '@mapnn/layers';

/** A layer whose output channels (dim 0 of weight and bias) can be removed. */
export type ChannelProducer = Conv2d | Linear;

/** A layer reading the channels: dim 1 of its weight, each channel `block` columns wide (a Flatten before a Linear). */
export interface ChannelConsumer {
  name: string;
  module: ChannelProducer;
  block: number;
}

/**
 * One set of channels that must be pruned together: the outputs of `producers` (several when
 * their outputs are added, as a residual block's branch and shortcut), the BatchNorms that
 * normalise them (`followers`) and the layers that read them (`consumers`). `fixed` when the
 * channels are the model's input or output (or mixed by a softmax), which cannot shrink.
 */
export interface ChannelGroup {
  size: number;
  producers: { name: string; module: ChannelProducer }[];
  followers: { name: string; module: BatchNorm1d | BatchNorm2d }[];
  consumers: ChannelConsumer[];
  fixed: boolean;
}

/** Layers that act on each channel on its own (the channel count passes through unchanged). */
const CHANNELWISE = [ReLU, LeakyReLU, ELU, GELU, SELU, Sigmoid, SiLU, Tanh, Softplus, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, GlobalAvgPool2d, Dropout];
/** Layers that mix the channels without parameters: the channels before them cannot be pruned. */
const MIXING = [Softmax, LogSoftmax];

export const SUPPORTED_LAYERS = ['Sequential', 'ResidualBlock', 'Conv2d (groups 1)', 'Linear', 'BatchNorm1d/2d', 'Flatten', ...CHANNELWISE.map((c) => c.name), ...MIXING.map((c) => c.name)];

/** The channels flowing between layers: their group (union-find, see `root`) and how many values each channel spans per sample. */
interface Flow {
  group: ChannelGroup;
  block: number;
}

/** Input shapes of the layers of the example forward pass, by module (to size a Flatten's blocks). */
export type InputShapes = Map<Module<any, any>, readonly number[]>;

class GroupTracer {
  readonly groups: ChannelGroup[] = [];
  private readonly merged = new Map<ChannelGroup, ChannelGroup>();

  constructor(private readonly shapes: InputShapes) {}

  newGroup(size: number, fixed = false): ChannelGroup {
    const g: ChannelGroup = { size, producers: [], followers: [], consumers: [], fixed };
    this.groups.push(g);
    return g;
  }

  root(g: ChannelGroup): ChannelGroup {
    let r = g;
    while (this.merged.has(r)) r = this.merged.get(r)!;
    return r;
  }

  /** Joins two groups whose channels are added elementwise (a residual sum). */
  union(a: ChannelGroup, b: ChannelGroup, where: string): ChannelGroup {
    const [ra, rb] = [this.root(a), this.root(b)];
    if (ra === rb) return ra;
    if (ra.size !== rb.size) throw new Error(`pruneChannels: residual sum in '${where}' adds ${ra.size} and ${rb.size} channels`);
    ra.producers.push(...rb.producers);
    ra.followers.push(...rb.followers);
    ra.consumers.push(...rb.consumers);
    ra.fixed ||= rb.fixed;
    this.merged.set(rb, ra);
    return ra;
  }

  walk(name: string, m: Module<any, any>, flow: Flow): Flow {
    if (m instanceof Sequential) {
      return m.namedChildren().reduce((f, [n, c]) => this.walk(join(name, n), c, f), flow);
    }
    if (m instanceof ResidualBlock) return this.walkResidual(name, m, flow);
    if (m instanceof Conv2d) return this.walkConv(name, m, flow);
    if (m instanceof Linear) return this.produce(name, m, flow, m.inFeatures, m.outFeatures);
    if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) {
      const g = this.root(flow.group);
      if (flow.block !== 1 || g.size !== m.numFeatures) throw unsupported(name, m, `its ${m.numFeatures} features are not the ${g.size} channels before it`);
      g.followers.push({ name, module: m });
      return flow;
    }
    if (m instanceof Flatten) return this.walkFlatten(name, m, flow);
    if (CHANNELWISE.some((c) => m instanceof c)) return flow;
    if (MIXING.some((c) => m instanceof c)) {
      this.root(flow.group).fixed = true;
      return flow;
    }
    throw unsupported(name, m, 'the tracer does not know how it maps channels');
  }

  private walkConv(name: string, m: Conv2d, flow: Flow): Flow {
    if (m.groups !== 1) throw unsupported(name, m, `grouped convolution (groups ${m.groups})`);
    return this.produce(name, m, flow, m.inChannels, m.outChannels);
  }

  /** `m` reads the channels of `flow` and makes a new set of `outputs` channels. */
  private produce(name: string, m: ChannelProducer, flow: Flow, inputs: number, outputs: number): Flow {
    const g = this.root(flow.group);
    if (g.size * flow.block !== inputs) throw unsupported(name, m, `it reads ${inputs} inputs but ${g.size} channels × ${flow.block} arrive`);
    g.consumers.push({ name, module: m, block: flow.block });
    const out = this.newGroup(outputs);
    out.producers.push({ name, module: m });
    return { group: out, block: 1 };
  }

  private walkFlatten(name: string, m: Flatten, flow: Flow): Flow {
    const shape = this.shapes.get(m);
    if (!shape) throw unsupported(name, m, 'pass `exampleInput` so that the size of each flattened channel is known');
    const end = m.endDim < 0 ? shape.length + m.endDim : m.endDim;
    if (m.startDim !== 1 || end !== shape.length - 1) throw unsupported(name, m, `only Flatten(1, -1) is supported, got Flatten(${m.startDim}, ${m.endDim})`);
    const block = shape.slice(2).reduce((a, b) => a * b, 1);
    return { group: flow.group, block: flow.block * block };
  }

  private walkResidual(name: string, m: ResidualBlock, flow: Flow): Flow {
    const h = this.walk(join(name, 'bn1'), m.bn1, this.walk(join(name, 'conv1'), m.conv1, flow));
    const y = this.walk(join(name, 'bn2'), m.bn2, this.walk(join(name, 'conv2'), m.conv2, h));
    const shortcut = m.downsample ? this.walk(join(name, 'downsample'), m.downsample, flow) : flow;
    if (shortcut.block !== 1) throw unsupported(name, m, 'its shortcut flattens');
    return { group: this.union(y.group, shortcut.group, name), block: 1 };
  }
}

const join = (prefix: string, n: string): string => (prefix ? `${prefix}.${n}` : n);

function unsupported(name: string, m: Module<any, any>, why: string): Error {
  return new Error(`pruneChannels: cannot prune through layer '${name || '(model)'}' (${m.constructor.name}): ${why}. Supported layers: ${SUPPORTED_LAYERS.join(', ')}`);
}

/**
 * Finds the channel groups of `model` by following its structure (Sequential, ResidualBlock and
 * the layers in `SUPPORTED_LAYERS`): which layers make each set of channels, which normalise
 * and which read them. The model's input and output channels are fixed.
 */
export function channelGroups(model: Module<any, any>, inputChannels: number, shapes: InputShapes): ChannelGroup[] {
  const tracer = new GroupTracer(shapes);
  const input = tracer.newGroup(inputChannels, true);
  const out = tracer.walk('', model, { group: input, block: 1 });
  tracer.root(out.group).fixed = true;
  const roots = new Set(tracer.groups.map((g) => tracer.root(g)));
  return [...roots];
}
