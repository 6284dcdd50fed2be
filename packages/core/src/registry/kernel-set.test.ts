import { describe, expect, it } from 'vitest';
import { getKernel, removeBackend, runKernel, runKernelMulti, setBackend, tensor, type Backend, type TensorInfo } from '../index.js';
import { registerBackend } from './registry.js';
import { registerKernels, type KernelSet, type PartialKernelSet } from './kernel-set.js';
import { PRIMITIVE_KERNELS } from './contract.js';
import type { AttrsOf } from './kernel-spec.js';

interface StubBackend extends Backend {
  readonly stub: true;
}

const echo = ([x]: TensorInfo[]): TensorInfo => x!;

/** A set with every primitive (so that the checks below differ from it in one thing only). */
function fullSet(): KernelSet<StubBackend> {
  return Object.fromEntries(PRIMITIVE_KERNELS.map((k) => [k, echo])) as unknown as KernelSet<StubBackend>; // built by name; the type is what the checks below test
}

// Compile-time checks (run by `tsc` in the package's lint; never called). Each
// `@ts-expect-error` fails the lint when its line stops being an error.
export function typeChecks(be: StubBackend, x: ReturnType<typeof tensor>): void {
  const full = fullSet();
  // @ts-expect-error a missing primitive: every backend must provide `add`
  const noAdd: KernelSet<StubBackend> = (({ add: _, ...rest }) => rest)(full);
  type Part = PartialKernelSet<StubBackend>;
  // @ts-expect-error a misspelt attribute name (`axis`)
  const misspelt = { argmax: ([t], attrs) => (attrs.axes, t!) } satisfies Part;
  // @ts-expect-error a wrong attribute type: `perm` is a list of numbers
  const wrongType = { transpose: ([t], attrs) => (attrs.perm.toUpperCase(), t!) } satisfies Part;
  // @ts-expect-error a dtype the kernel is not computed for (`exp` is float-only)
  const wrongDType = { exp: { fn: echo, dtypes: ['int32'] } } satisfies Part;
  // @ts-expect-error a kernel that is not in the spec table
  const unknownKernel = { expp: echo } satisfies Part;
  const kernels = {
    sigmoid: { fn: echo, dtypes: ['float32', 'float16'] }, // a fast path with its own dtypes, float16 added
    cast: ([t], attrs, b) => (attrs.dtype satisfies string, b.stub, t!), // typed attrs and backend
  } satisfies Part;
  // @ts-expect-error a misspelt attribute at a call site
  runKernel('transpose', [x], { perms: [1, 0] });
  // @ts-expect-error a wrong attribute type at a call site
  runKernel('argmax', [x], { axis: '0' });
  // @ts-expect-error a missing required attribute
  runKernel('slice', [x], { begin: [0] });
  runKernel('slice', [x], { begin: [0], size: [1] });
  runKernel('myOwnKernel', [x], { anything: 1 }); // a kernel outside the table: attrs untyped
  const win = { kernel: [2, 2] } as const;
  const [y, idx] = runKernelMulti('maxPool2d', [x], win); // a tuple as long as the table's outputs
  // @ts-expect-error maxPool2d has two outputs
  const [, , third] = runKernelMulti('maxPool2d', [x], win);
  void [y.shape, idx.shape, third];
  const attrs: AttrsOf<'pad'> = { pads: [0, 1], mode: 'reflect' };
  void [noAdd, misspelt, wrongType, wrongDType, unknownKernel, kernels, attrs, be];
}

describe('registerKernels', () => {
  it('registers each entry for the table dtypes, or for those it lists', () => {
    const name = 'typed-stub';
    registerBackend(name, () => ({ ...emptyBackend(name), stub: true }));
    try {
      registerKernels<StubBackend>(name, { exp: echo, sigmoid: { fn: echo, dtypes: ['float32'] } });
      expect(getKernel('exp', name)?.dtypes).toEqual(['float32', 'float64']);
      expect(getKernel('sigmoid', name)?.dtypes).toEqual(['float32']);
      expect(getKernel('add', name)).toBeUndefined();
    } finally {
      removeBackend(name);
    }
  });

  it('refuses a name outside the spec table, naming it', () => {
    const set = { notAKernel: echo } as unknown as PartialKernelSet<StubBackend>; // what an untyped caller could pass
    expect(() => registerKernels('typed-stub', set)).toThrow("registerKernels(typed-stub): 'notAKernel' is not a kernel of the spec table");
  });

  it('runKernelMulti checks the output count of a table kernel, naming it', () => {
    const name = 'typed-stub-outputs';
    registerBackend(name, () => ({ ...emptyBackend(name), stub: true }));
    try {
      setBackend(name);
      registerKernels<StubBackend>(name, { maxPool2d: echo }); // one output where the table says two
      const x = tensor([[[[1, 2], [3, 4]]]]);
      expect(() => runKernelMulti('maxPool2d', [x], { kernel: [2, 2] })).toThrow(`Kernel 'maxPool2d' on backend '${name}' returned 1 outputs, expected 2`);
    } finally {
      removeBackend(name);
      setBackend('cpu');
    }
  });

  it('runKernel checks the input count of a table kernel, naming it', () => {
    setBackend('cpu');
    const x = tensor([1, 2]);
    expect(() => runKernel('add', [x])).toThrow("Kernel 'add' takes 2 inputs, got 1");
    expect(() => runKernel('fusedMatmul', [x])).toThrow("Kernel 'fusedMatmul' takes 2 to 3 inputs, got 1");
    expect(() => runKernel('concat', [], { axis: 0 })).toThrow("Kernel 'concat' takes at least 1 inputs, got 0");
    x.dispose();
  });
});

function emptyBackend(name: string): Backend {
  const store = new WeakMap<object, Float32Array>();
  return {
    name,
    write: (v) => {
      const id = {};
      store.set(id, Float32Array.from(v as Float32Array));
      return id;
    },
    read: async (id) => store.get(id)!,
    readSync: (id) => store.get(id)!,
    disposeData: (id) => void store.delete(id),
    memory: () => ({ numBuffers: 0, numBytes: 0 }),
  };
}
